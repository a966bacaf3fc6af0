"""Evidence intake: any file, byte for byte, hashed on arrival; what a file really is; safe
previews and photo facts, made in isolated workers.
"""
