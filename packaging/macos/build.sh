#!/usr/bin/env bash
# Build Safekeep for macOS (issue 19): dist/Safekeep.app and a .dmg holding it, and SHA256SUMS.
# NOT YET BUILT OR TESTED: written for the macos-latest runner (.github/workflows/build.yml),
# from a clean checkout with Python 3.11:  bash packaging/macos/build.sh
# Unsigned: Gatekeeper asks before the first start (right-click, Open) until the project has
# a Developer ID to sign and notarise with.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD work=$root/build dist=$root/dist venv=$root/build/venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
py=$venv/bin/python
rm -rf "$work/lib" "$work"/bdist.* "$work/wheel"
"$py" -m pip install --quiet --upgrade pip
"$py" -m pip wheel --quiet --no-deps --wheel-dir "$work/wheel" "$root"
wheel=$(ls "$work"/wheel/safekeep-*.whl)
"$py" -m pip install --quiet "$wheel" "pyinstaller==6.22.3" "pyinstaller-hooks-contrib==2026.9"
"$py" -m pip install --quiet --no-deps --force-reinstall "$wheel"
version=$("$py" -c 'import importlib.metadata as m; print(m.version("safekeep"))')
arch=$(uname -m)

"$py" "$root/packaging/make_icon.py" "$work/safekeep.png" 1024
export SAFEKEEP_ICON_PNG=$work/safekeep.png
rm -rf "$dist/safekeep" "$dist/Safekeep.app"
# From build/, not the checkout: the checkout's own `app` has no resources beside it.
(cd "$work" && "$py" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$dist" --workpath "$work/pyinstaller" "$root/packaging/safekeep.spec")
"$dist/Safekeep.app/Contents/MacOS/safekeep" --version

dmg=$dist/safekeep-$version-macos-$arch.dmg
staging=$work/dmg
rm -rf "$staging" "$dmg" && mkdir -p "$staging"
cp -R "$dist/Safekeep.app" "$staging/"
ln -s /Applications "$staging/Applications"  # drag the app onto it to install
hdiutil create -volname Safekeep -srcfolder "$staging" -ov -format UDZO "$dmg"
(cd "$dist" && shasum -a 256 "$(basename "$dmg")" >SHA256SUMS-macos)
echo "build: done: $dmg"
