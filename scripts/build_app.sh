#!/usr/bin/env bash
# Build Safekeep as a program to download and run, with no Python needed (issue 19), on Linux:
#   dist/safekeep/                                  the one-folder program (run dist/safekeep/safekeep)
#   dist/safekeep-VERSION-linux-x86_64.tar.gz       that folder, for any distribution
#   dist/safekeep_VERSION_amd64.deb                 /opt/safekeep, /usr/bin/safekeep, menu entry, icon
#   dist/SHA256SUMS                                 for the two downloads
#
# From a clean checkout: `bash scripts/build_app.sh`. It makes its own venv (build/venv; another
# with SAFEKEEP_BUILD_VENV), installs the project into it with pip as a wheel built from this
# tree, and PyInstaller, pinned. Needs python3 with venv, binutils (PyInstaller reads libraries
# with objdump) and dpkg-deb. Windows and macOS: .github/workflows/build.yml.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

PYINSTALLER="pyinstaller==6.22.3"
HOOKS="pyinstaller-hooks-contrib==2026.9"
venv=${SAFEKEEP_BUILD_VENV:-$root/build/venv}
work=$root/build
dist=$root/dist
started=$(date +%s)

say() { printf 'build_app: [%4ss] %s\n' "$(( $(date +%s) - started ))" "$*"; }

for tool in python3 objdump dpkg-deb sha256sum tar; do
  command -v "$tool" >/dev/null 2>&1 || { say "missing: $tool"; exit 3; }
done

# The build venv: only the project, its dependencies and PyInstaller, so nothing else (test
# tools, a developer's extras) can end up in the folder.
if [ ! -x "$venv/bin/python" ]; then
  say "making the build venv in $venv"
  python3 -m venv "$venv"
fi
py=$venv/bin/python

# A wheel of this tree. setuptools builds in build/lib and keeps what it finds there, so a
# module deleted from the source would live on in the program: start it afresh every time.
rm -rf "$work/lib" "$work"/bdist.* "$work/wheel"
"$py" -m pip wheel --quiet --no-deps --wheel-dir "$work/wheel" "$root"
wheel=$(ls "$work"/wheel/safekeep-*.whl)
"$py" -m pip install --quiet "$wheel" "$PYINSTALLER" "$HOOKS"
"$py" -m pip install --quiet --no-deps --force-reinstall "$wheel"  # this tree, even at the same version
rm -rf "$work/lib" "$work"/bdist.*
version=$("$py" -c 'import importlib.metadata as m; print(m.version("safekeep"))')
say "safekeep $version, $("$py" -m PyInstaller --version | sed 's/^/PyInstaller /')"

# The icon, drawn from the app's own SVG.
"$py" "$root/packaging/make_icon.py" "$work/safekeep.png" 256
export SAFEKEEP_ICON_PNG=$work/safekeep.png

say "freezing with PyInstaller"
rm -rf "$dist/safekeep"
# From build/, not the checkout: `python -m` puts the current folder first on sys.path, and
# the checkout's own `app` (without its resources, which live in resources/) would be frozen
# instead of the installed one.
(cd "$work" && "$py" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$dist" --workpath "$work/pyinstaller" "$root/packaging/safekeep.spec")
program=$dist/safekeep
"$program/safekeep" --version >/dev/null  # it starts, or the build failed

say "packing the .tar.gz and the .deb"
arch=x86_64
tarball=$dist/safekeep-$version-linux-$arch.tar.gz
# Same input, same archive: sorted names, no owners, the time of the last commit.
stamp=$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$stamp" \
  -C "$dist" -cf - safekeep | gzip -n -6 >"$tarball"

# The Debian package: the folder in /opt/safekeep, a link on PATH, a menu entry and an icon.
# xz at its lightest level: 93 MB in 30 s, where level 6 takes four times as long for 85 MB.
deb_root=$work/deb
rm -rf "$deb_root"
mkdir -p "$deb_root/DEBIAN" "$deb_root/opt" "$deb_root/usr/bin" \
  "$deb_root/usr/share/applications" "$deb_root/usr/share/icons/hicolor/256x256/apps" \
  "$deb_root/usr/share/icons/hicolor/scalable/apps"
cp -a "$program" "$deb_root/opt/safekeep"
ln -s /opt/safekeep/safekeep "$deb_root/usr/bin/safekeep"
cp "$root/packaging/linux/safekeep.desktop" "$deb_root/usr/share/applications/"
cp "$work/safekeep.png" "$deb_root/usr/share/icons/hicolor/256x256/apps/safekeep.png"
cp "$root/resources/icons/safekeep.svg" "$deb_root/usr/share/icons/hicolor/scalable/apps/"
# The newest glibc symbol any file asks for: the oldest libc6 it runs on.
glibc=$(find "$program" -type f \( -name '*.so*' -o -name safekeep \) -exec objdump -T {} + 2>/dev/null \
  | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
size_kb=$(du -sk "$deb_root/opt" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@GLIBC@/$glibc/" -e "s/@SIZE@/$size_kb/" \
  "$root/packaging/linux/control.in" >"$deb_root/DEBIAN/control"
deb=$dist/safekeep_${version}_amd64.deb
dpkg-deb --root-owner-group -Zxz -z1 --build "$deb_root" "$deb" >/dev/null
rm -rf "$deb_root"

(cd "$dist" && sha256sum "$(basename "$tarball")" "$(basename "$deb")" >SHA256SUMS)
say "folder $(du -sh "$program" | cut -f1), $(basename "$tarball") $(du -h "$tarball" | cut -f1), $(basename "$deb") $(du -h "$deb" | cut -f1)"
say "done in $(( $(date +%s) - started )) s"
