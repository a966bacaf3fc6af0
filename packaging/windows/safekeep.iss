; Inno Setup script for Safekeep on Windows (issue 19). packaging/windows/build.ps1 runs it
; after PyInstaller has made dist\safekeep\ (Safekeep.exe for people, safekeep-cli.exe for the
; command line). NOT YET BUILT OR TESTED: it is written for the windows-latest runner of
; .github/workflows/build.yml.
;
; Installs for the current user by default (no administrator needed: a family PC's
; account may not have it), with an uninstaller that leaves nothing behind but the person's
; own case files and settings, which are theirs.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
AppId={{6C2D9E4B-5F3A-4E8D-9B1C-7A0E2F4D8C61}
AppName=Safekeep
AppVersion={#AppVersion}
AppVerName=Safekeep {#AppVersion}
AppPublisher=Safekeep
DefaultDirName={autopf}\Safekeep
DefaultGroupName=Safekeep
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SourceDir=..\..
OutputDir=dist
OutputBaseFilename=safekeep-{#AppVersion}-windows-x64-setup
SetupIconFile=build\safekeep.ico
UninstallDisplayIcon={app}\Safekeep.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "dist\safekeep\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Safekeep"; Filename: "{app}\Safekeep.exe"
Name: "{autodesktop}\Safekeep"; Filename: "{app}\Safekeep.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\Safekeep.exe"; Description: "{cm:LaunchProgram,Safekeep}"; Flags: nowait postinstall skipifsilent
