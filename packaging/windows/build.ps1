# Build Safekeep for Windows (issue 19): dist\safekeep\ (one folder), an installer made with
# Inno Setup, a portable .zip (the folder with safekeep-portable.txt in it: settings stay
# beside the program, nothing in the profile), and SHA256SUMS.
# NOT YET BUILT OR TESTED: written for the windows-latest runner (.github/workflows/build.yml),
# from a clean checkout with Python 3.11 on PATH:  pwsh packaging\windows\build.ps1
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest
$root = (Resolve-Path "$PSScriptRoot\..\..").Path
Set-Location $root
$work = "$root\build"
$dist = "$root\dist"
$venv = "$work\venv"

function Run([string]$exe) {
  & $exe @args
  if ($LASTEXITCODE -ne 0) { throw "failed ($LASTEXITCODE): $exe $args" }
}

if (-not (Test-Path "$venv\Scripts\python.exe")) { Run python -m venv $venv }
$py = "$venv\Scripts\python.exe"
Remove-Item -Recurse -Force "$work\lib", "$work\wheel" -ErrorAction SilentlyContinue
Run $py -m pip install --upgrade pip
Run $py -m pip wheel --no-deps --wheel-dir "$work\wheel" $root
$wheel = (Get-ChildItem "$work\wheel\safekeep-*.whl").FullName
Run $py -m pip install $wheel "pyinstaller==6.22.3" "pyinstaller-hooks-contrib==2026.9"
Run $py -m pip install --no-deps --force-reinstall $wheel
$version = (& $py -c "import importlib.metadata as m; print(m.version('safekeep'))").Trim()

Run $py "$root\packaging\make_icon.py" "$work\safekeep.png" 256
Run $py "$root\packaging\make_icon.py" "$work\safekeep.ico" 256
$env:SAFEKEEP_ICON_PNG = "$work\safekeep.png"

Remove-Item -Recurse -Force "$dist\safekeep" -ErrorAction SilentlyContinue
# From build\, not the checkout: the checkout's own `app` has no resources beside it.
Push-Location $work
Run $py -m PyInstaller --noconfirm --log-level WARN --distpath $dist --workpath "$work\pyinstaller" "$root\packaging\safekeep.spec"
Pop-Location
Run "$dist\safekeep\safekeep-cli.exe" --version

$iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
if (-not (Test-Path $iscc)) { Run choco install innosetup --yes --no-progress; $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
Run $iscc "/DAppVersion=$version" "$root\packaging\windows\safekeep.iss"

$portable = "$work\portable\Safekeep"
Remove-Item -Recurse -Force "$work\portable" -ErrorAction SilentlyContinue
New-Item -ItemType Directory -Force $portable | Out-Null
Copy-Item -Recurse "$dist\safekeep\*" $portable
Set-Content -Path "$portable\safekeep-portable.txt" -Value "Safekeep keeps its settings in this folder while this file is here."
$zip = "$dist\safekeep-$version-windows-x64-portable.zip"
Compress-Archive -Path $portable -DestinationPath $zip -Force

$files = @("safekeep-$version-windows-x64-setup.exe", "safekeep-$version-windows-x64-portable.zip")
$lines = foreach ($f in $files) { "{0}  {1}" -f (Get-FileHash -Algorithm SHA256 "$dist\$f").Hash.ToLower(), $f }
[IO.File]::WriteAllLines("$dist\SHA256SUMS-windows", $lines)
Write-Host "build: done: $files"
