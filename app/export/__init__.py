"""The case bundle for officers: a ZIP with report.pdf, the originals, CSV files, manifest.json,
SHA256SUMS and README.txt; and its verifier, which needs no case file.

Never imports Qt (import-linter enforces it); ReportLab loads only when a report is built.
"""

from app.export.bundle import ExportResult, export_bundle
from app.export.verify import VerifyReport, verify_bundle

__all__ = ["ExportResult", "VerifyReport", "export_bundle", "verify_bundle"]
