"""Workbooks filled in the way a person fills them: keystrokes typed into LibreOffice Calc.

A Basic macro opens the workbook in a fresh profile, moves the cell cursor (.uno:GoToCell) and
sends the text key by key to the sheet window (XToolkitRobot.keyPress), then Enter. The keys go
through Calc's input handler like a person's, with its number recognition, automatic percent,
AutoInput, AutoCorrect and validity checks: `95%` becomes 0.95 formatted `0.00%`, `95` typed
into a percent cell 0.95 too, `12-31` a date (zh-CN), `效` in a column holding 效益指标 becomes
效益指标, `1/2` becomes ½. `cell.setFormula`, `setString` and `.uno:EnterString` skip part of
that (EnterString stores `95` typed into a percent cell as 95, shown 9500%).
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .test_bad_files import basic_module
from .test_office import soffice

_BASIC = """
Sub Fail(folder As String, message As String)
  n = FreeFile
  Open folder + "/error.txt" For Output As #n
  Print #n, message
  Close #n
  StarDesktop.terminate()
End Sub

Sub Press(kit, window, code As Integer, char As Long)
  Dim key As New com.sun.star.awt.KeyEvent
  key.Source = window
  key.KeyCode = code
  key.KeyChar = char
  kit.keyPress(key)
  kit.keyRelease(key)
  kit.processEventsToIdle()
End Sub

Sub TypeInto(folder As String)
  On Error GoTo Failed
  files = createUnoService("com.sun.star.ucb.SimpleFileAccess")
  job = createUnoService("com.sun.star.io.TextInputStream")
  job.setInputStream(files.openFileRead(ConvertToURL(folder + "/job.txt")))
  job.setEncoding("UTF-8")
  source = job.readLine()
  target = job.readLine()
  REM Not Hidden: keys need a frame, which headless LibreOffice never shows anyway.
  Dim visible() As New com.sun.star.beans.PropertyValue
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(source), "_blank", 0, visible())
  view = doc.CurrentController
  window = view.Frame.ComponentWindow
  window.setFocus()
  kit = window.Toolkit
  dispatcher = createUnoService("com.sun.star.frame.DispatchHelper")
  Dim jump(0) As New com.sun.star.beans.PropertyValue
  jump(0).Name = "ToPoint"
  Do While Not job.isEOF()
    line = job.readLine()
    If Right(line, 1) = Chr(10) Then line = Left(line, Len(line) - 1)
    If line = "" Then Exit Do
    entry = Split(line, Chr(9))
    If Not doc.Sheets.hasByName(entry(0)) Then
      Fail(folder, "there is no sheet " + entry(0) + " in " + source)
      Exit Sub
    End If
    view.setActiveSheet(doc.Sheets.getByName(entry(0)))
    cell = view.ActiveSheet.getCellRangeByName(entry(1))
    before = cell.getFormula()
    shown = cell.getString()
    jump(0).Value = entry(1)
    dispatcher.executeDispatch(view.Frame, ".uno:GoToCell", "", 0, jump())
    For i = 1 To Len(entry(2))
      Press(kit, window, 0, Asc(Mid(entry(2), i, 1)))
    Next i
    Press(kit, window, com.sun.star.awt.Key.RETURN, 13)
    moved = (view.Selection.RangeAddress.StartRow <> cell.CellAddress.Row)
    same = (cell.getFormula() = before) And (entry(2) <> before) And (entry(2) <> shown)
    If Not moved Or same Then
      Fail(folder, entry(0) + "!" + entry(1) + ": Calc did not take " + entry(2) _
        + ", the cell holds " + cell.getFormula() + " " + cell.Validation.ErrorMessage)
      Exit Sub
    End If
  Loop
  Dim args(1) As New com.sun.star.beans.PropertyValue
  args(0).Name = "FilterName"
  args(0).Value = "Calc MS Excel 2007 XML"
  args(1).Name = "Overwrite"
  args(1).Value = True
  doc.storeToURL(ConvertToURL(target), args())
  doc.close(True)
  StarDesktop.terminate()
  Exit Sub
Failed:
  Fail(folder, Err & " " & Error$ & " line " & Erl)
End Sub
"""

_LOCALE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N">
  <prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>{}</value></prop></item>
</oor:items>
"""


def _run(command: list[str], timeout: float) -> None:
    """Run soffice; on a hang, kill its whole process group (soffice.bin outlives oosplash)."""
    with subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    ) as process:
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise AssertionError(f"LibreOffice did not finish in {timeout:g} s") from None
    assert process.returncode == 0, stderr.decode(errors="replace")


def type_into_workbook(
    source: Path,
    target: Path,
    entries: Sequence[tuple[str, str, str]],
    *,
    locale: str = "zh-CN",
    timeout: float = 300,
) -> Path:
    """Open `source` in LibreOffice, type each (sheet, cell such as "F11", text) and press
    Enter, as a person would, then save as xlsx to `target`.

    `locale` is LibreOffice's locale setting: it decides what is read as a date or a number
    (in zh-CN `12-31` is a date, in en-US it stays text). An entry Calc refuses (a validity
    rule; headless, its error box is cancelled and the input dropped) fails with the rule's
    message, as does any error in the macro.
    """
    for entry in entries:
        if any(c in field for field in entry for c in "\t\r\n"):
            raise ValueError(f"tabs and line breaks cannot be typed: {entry!r}")
    source, target = source.resolve(), target.resolve()
    office = soffice()
    with tempfile.TemporaryDirectory(prefix=".office-typing-", dir=target.parent) as tmp:
        folder = Path(tmp)
        profile = folder / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(
            _LOCALE.format(locale), "utf-8"
        )
        base = [office, f"-env:UserInstallation=file://{profile}", "--headless"]
        _run([*base, "--terminate_after_init"], timeout)
        module = profile / "user" / "basic" / "Standard" / "Module1.xba"
        module.write_text(basic_module(_BASIC), "utf-8")
        lines = [str(source), str(target), *("\t".join(entry) for entry in entries)]
        (folder / "job.txt").write_text("\n".join(lines), "utf-8")
        target.unlink(missing_ok=True)
        _run([*base, f'macro:///Standard.Module1.TypeInto("{folder}")'], timeout)
        error = folder / "error.txt"
        assert not error.exists(), f"LibreOffice: {error.read_text(errors='replace').strip()}"
    assert target.exists(), f"LibreOffice did not write {target}"
    return target
