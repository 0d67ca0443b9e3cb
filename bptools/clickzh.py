"""click in Chinese: help pages and usage errors worded for the people who run bptools.

click words its own text in English (through gettext's process-wide domain, which depends on
the user's locale), so the wording is taken over here, in click's public extension points:

- `Command` and `Group` write the help page themselves (headings, the help option, defaults,
  ranges) and turn every usage error into a `UsageError` built from the exception's data
  (the parameter, the option name, the close matches), never from click's English text;
- `Path`, `Choice` and `IntRange` keep click's checks and give the reason in Chinese, and name
  their values in Chinese where a metavar is shown (文件, 文件夹, 整数);
- `Argument` takes a `hint`: what to give when the argument is missing.

Exit codes are click's: 2 for a usage error, 1 for an interruption.
"""

from __future__ import annotations

import difflib
import os
import pathlib
import stat
import unicodedata
from collections.abc import Iterable, Sequence
from typing import IO, Any

import click
from click.formatting import wrap_text


class Formatter(click.HelpFormatter):
    """Usage line headed 用法; definition lists aligned by display width (a Chinese character
    takes two columns)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = list(rows)
        first_col = min(max((_width(term) for term, _ in rows), default=0), col_max) + col_spacing
        indent = " " * self.current_indent
        for term, text in rows:
            self.write(indent + term)
            if not text:
                self.write("\n")
                continue
            if _width(term) <= first_col - col_spacing:
                self.write(" " * (first_col - _width(term)))
            else:
                self.write("\n" + indent + " " * first_col)
            lines = wrap_text(text, max(self.width - first_col - 2, 10), preserve_paragraphs=True)
            self.write(f"\n{indent}{' ' * first_col}".join(lines.splitlines()) + "\n")


class Context(click.Context):
    formatter_class = Formatter


class UsageError(click.UsageError):
    """A usage error as bptools shows it: the usage line, the error, where to read more."""

    def show(self, file: IO[Any] | None = None) -> None:
        ctx = self.ctx
        lines = [f"错误：{self.format_message()}"]
        if ctx is not None:
            lines.insert(0, ctx.get_usage())
            if ctx.command.get_help_option(ctx) is not None:
                help_name = max(ctx.command.get_help_option_names(ctx), key=len)
                lines.append(f"运行 {ctx.command_path} {help_name} 查看用法。")
        color = ctx.color if ctx is not None else None
        click.echo("\n".join(lines), file=file, err=file is None, color=color)


class Failure(click.ClickException):
    """An error that is not about how the command was typed, shown as 错误：… (exit code 1
    unless a subclass sets another)."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"错误：{self.format_message()}", file=file, err=file is None)


class Argument(click.Argument):
    """An argument whose `hint` says what to give when it is missing; "{command}" in the hint
    becomes the command as typed (`bptools merge`)."""

    def __init__(self, param_decls: Sequence[str], hint: str = "", **attrs: Any) -> None:
        super().__init__(param_decls, **attrs)
        self.hint = hint


class Path(click.Path):
    """click.Path named 文件 / 文件夹 / 路径, saying in Chinese why a path will not do."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.name = "文件" if not self.dir_okay else "文件夹" if not self.file_okay else "路径"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            self.fail(self._problem(value), param, ctx)

    def _problem(self, value: str | bytes | os.PathLike[str]) -> str:
        path, shown = pathlib.Path(os.fsdecode(value)), click.format_filename(value)
        try:
            is_dir = stat.S_ISDIR(path.stat().st_mode)
        except OSError:
            return f"指定的{self.name}“{shown}”不存在，请检查路径"
        if is_dir and not self.dir_okay:
            return f"应为文件，“{shown}”是文件夹"
        if not is_dir and not self.file_okay:
            return f"应为文件夹，“{shown}”是文件"
        kind = "文件夹" if is_dir else "文件"
        # What is left of click's checks: readable, or writable (bptools wants no executable).
        action = "读取" if self.readable and not os.access(path, os.R_OK) else "写入"
        return f"指定的{kind}“{shown}”无法{action}，请检查它的权限"


class Choice(click.Choice):
    """click.Choice that lists the accepted values in Chinese punctuation."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            self.fail(f"的取值“{value}”无效，可选：{self.listing()}", param, ctx)

    def listing(self) -> str:
        return "、".join(str(choice) for choice in self.choices)


class IntRange(click.IntRange):
    """A closed range of integers, named 整数 and explained in Chinese."""

    name = "整数"

    def __init__(self, low: int, high: int) -> None:
        super().__init__(low, high)
        self.span = f"{low}～{high}"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            try:
                number = int(value)
            except (TypeError, ValueError):
                self.fail(f"应为整数，“{value}”不是整数", param, ctx)
            self.fail(f"应在 {self.span} 之间，{number} 超出了范围", param, ctx)


class Seconds(click.FloatRange):
    """A number of seconds, at least `low`, named 秒 and explained in Chinese."""

    name = "秒"

    def __init__(self, low: float) -> None:
        super().__init__(min=low)
        self.low = low

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            try:
                number = float(value)
            except (TypeError, ValueError):
                self.fail(f"应为秒数，“{value}”不是数字", param, ctx)
            self.fail(f"应不少于 {self.low:g} 秒，{number:g} 太小", param, ctx)


class Command(click.Command):
    """A command whose help page and usage errors are in Chinese."""

    context_class = Context

    def __init__(self, *args: Any, **attrs: Any) -> None:
        attrs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **attrs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "显示本帮助并退出。"
        return option

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        options = [param for param in self.get_params(ctx) if isinstance(param, click.Option)]
        records = [record for option in options if (record := _help_record(option, ctx))]
        if records:
            with formatter.section("选项"):
                formatter.write_dl(records)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args and self.no_args_is_help and not ctx.resilient_parsing:
            return super().parse_args(ctx, args)  # click shows the help page: nothing to word
        # Extra arguments are checked here, where they are known, not from click's message.
        allow_extra_args, ctx.allow_extra_args = ctx.allow_extra_args, True
        try:
            rest = super().parse_args(ctx, args)
        except click.UsageError as exc:
            raise localize(exc, ctx) from exc
        finally:
            ctx.allow_extra_args = allow_extra_args
        if rest and not allow_extra_args and not ctx.resilient_parsing:
            extra = "、".join(f"“{arg}”" for arg in rest)
            raise UsageError(
                f"多余的参数 {extra}：{ctx.command_path} 用不到；"
                "如果是某个选项的值，请在前面写上选项名。",
                ctx,
            )
        return rest


# click.Group first: its parse_args and format_options reach Command's through super().
class Group(click.Group, Command):
    """A group whose help page, usage errors and interruptions are in Chinese."""

    command_class = Command

    def __init__(self, *args: Any, **attrs: Any) -> None:
        attrs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **attrs)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        commands = [(name, self.get_command(ctx, name)) for name in self.list_commands(ctx)]
        shown = [(name, cmd) for name, cmd in commands if cmd is not None and not cmd.hidden]
        if shown:
            limit = formatter.width - 6 - max(len(name) for name, _ in shown)
            with formatter.section("命令"):
                formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in shown])

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except UsageError:
            raise
        except click.UsageError as exc:  # the only one click raises here: no such command
            raise UsageError(self._unknown(ctx, args[0]), ctx) from exc

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UsageError:
            raise
        except click.UsageError as exc:
            if (
                exc.ctx is ctx
                and ctx.invoked_subcommand is None
                and not self.invoke_without_command
            ):
                # Before a subcommand is found, click's only complaint is that there is none.
                message = f"缺少命令：请在 {ctx.command_path} 后面写上命令，{self._listing(ctx)}"
                raise UsageError(message, ctx) from exc
            raise localize(exc, ctx) from exc
        except (KeyboardInterrupt, click.Abort):
            click.echo("\n已中止。", err=True)
            ctx.exit(1)

    def _unknown(self, ctx: click.Context, name: str) -> str:
        close = difflib.get_close_matches(name, self.list_commands(ctx))
        if close:
            return f"没有 {name} 这个命令，您是否要用 {' 或 '.join(close)}？"
        return f"没有 {name} 这个命令，{self._listing(ctx)}"

    def _listing(self, ctx: click.Context) -> str:
        return f"可用的命令：{'、'.join(self.list_commands(ctx))}。"


def localize(exc: click.UsageError, ctx: click.Context) -> UsageError:
    """The usage error `exc` worded in Chinese from its data; `ctx` is the context of the
    command being parsed or run, for the errors click raises without one."""
    if isinstance(exc, UsageError):
        return exc
    ctx = exc.ctx or ctx
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        message = _missing(exc.param, ctx)
    elif isinstance(exc, click.BadParameter) and exc.param is not None:
        message = f"{_name(exc.param)} {exc.message}。"
    elif isinstance(exc, click.NoSuchOption):
        close = exc.possibilities or []
        message = f"没有 {exc.option_name} 这个选项" + (
            f"，您是否要用 {' 或 '.join(close)}？" if close else "。"
        )
    elif isinstance(exc, click.BadOptionUsage):
        message = _option_usage(exc.option_name, ctx) or exc.message
    else:
        message = exc.message
    return UsageError(message, ctx)


def _missing(param: click.Parameter, ctx: click.Context) -> str:
    if isinstance(param, click.Option):
        return f"缺少选项 {_name(param)}：请写上 {param.opts[0]} {_value_word(param)}。"
    hint = param.hint.format(command=ctx.command_path) if isinstance(param, Argument) else ""
    return f"缺少参数 {_name(param)}：{hint or '请在命令后面写上它。'}"


def _option_usage(option_name: str, ctx: click.Context) -> str | None:
    """A flag given a value (`--json=1`), or an option given none (`-o` at the end)."""
    for param in ctx.command.get_params(ctx):
        if isinstance(param, click.Option) and option_name in param.opts + param.secondary_opts:
            if param.is_flag or param.count:
                return f"{option_name} 是开关，不带取值：请只写 {option_name}。"
            if isinstance(param.type, Choice):
                return f"{option_name} 后面缺少取值，可选：{param.type.listing()}。"
            return f"{option_name} 后面缺少取值：请写成 {option_name} {_value_word(param)}。"
    return None


def _name(param: click.Parameter) -> str:
    return " / ".join(param.opts) if isinstance(param, click.Option) else param.human_readable_name


def _value_word(option: click.Option) -> str:
    return option.metavar or option.type.name


def _help_record(option: click.Option, ctx: click.Context) -> tuple[str, str] | None:
    """click's left column (names and metavar), and the help with Chinese notes."""
    record = option.get_help_record(ctx)
    if record is None:  # a hidden option
        return None
    notes = []
    default = _shown_default(option, ctx)
    if default:
        notes.append(f"默认：{default}")
    if isinstance(option.type, IntRange):
        notes.append(option.type.span)
    if option.required:
        notes.append("必填")
    return record[0], (option.help or "") + (f"（{'；'.join(notes)}）" if notes else "")


def _shown_default(option: click.Option, ctx: click.Context) -> str:
    if isinstance(option.show_default, str):
        return option.show_default
    if not option.show_default:
        return ""
    default = option.get_default(ctx, call=False)
    if option.is_bool_flag and option.secondary_opts:
        return (option.opts if default else option.secondary_opts)[-1]
    return "" if default is None or callable(default) else str(default)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
