"""The translation catalogs: extract the messages from the source, update the .po files, compile .mo.

    python tools/i18n.py extract   # d3k2db/locale/d3k2db.pot from the source (Babel's extract API)
    python tools/i18n.py update    # merge the template into zh_Hant and zh_Hans (new entries empty)
    python tools/i18n.py compile   # .po -> .mo (committed: the wheel ships them, runtime uses gettext)
    python tools/i18n.py all       # the three in order
    python tools/i18n.py hans      # zh_Hans from zh_Hant (OpenCC t2s + HANS_TERMS), every entry

The messages are every ``_()``, ``N_()`` and ``ngettext()`` of the package (Babel's Python extractor,
the web page's modules included), every ``_()`` of the web page's templates (Jinja2's extractor,
``jinja2.ext:babel_extract``, with the i18n extension), plus the help of the command line, which
Typer takes from the code itself: each command's docstring and every ``help=``/``epilog=`` string
in the modules of ``d3k2db/cli/``, read with ``ast``.
Translate in the .po files (Poedit, or any editor); ``tests/test_i18n.py`` fails on an empty, fuzzy,
stale or obsolete entry, a placeholder mismatch, or a .mo older than its .po.

The Simplified catalog follows the Traditional one: OpenCC's character conversion (t2s), then the
reviewed list HANS_TERMS where mainland usage differs from Taiwan and Hong Kong usage (not only in
characters). tests/test_i18n.py checks every zh_Hans entry against that rule.

Babel and OpenCC are test dependencies; nothing here runs at run time.
"""

from __future__ import annotations

import ast
import inspect
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "d3k2db"
LOCALE = PACKAGE / "locale"
DOMAIN = "d3k2db"
LOCALES = ("zh_Hant", "zh_Hans")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "NC_": ((1, "c"), 2)}
HELP_PACKAGE = PACKAGE / "cli"  # the command line: Typer reads its help from the code
TEMPLATES = PACKAGE / "web" / "templates"
# Jinja2's own extractor for Babel, with the i18n extension the web page's environments load
JINJA_METHOD = "jinja2.ext:babel_extract"
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true", "trimmed": "false"}

# Where the mainland word differs from the Taiwan / Hong Kong one after t2s (reviewed, in order).
HANS_TERMS: list[tuple[str, str]] = [
    ("维他命", "维生素"),
    ("公克", "克"),
    ("公斤", "千克"),
    ("起司", "奶酪"),
    ("传送", "发送"),
    ("纯文字", "纯文本"),
    ("资料库", "数据库"),
    ("资料表结构", "数据库结构"),
    ("资料夹", "文件夹"),
    ("种子资料", "种子数据"),
    ("资料", "数据"),
    ("档名", "文件名"),
    ("档案", "文件"),
    ("预设", "默认"),
    ("自订", "自定义"),
    ("搜寻", "搜索"),
    ("终端机", "终端"),
    ("汇入", "导入"),
    ("汇出", "导出"),
    ("栏位", "字段"),
    ("记忆体", "内存"),
    ("引数", "参数"),
    ("字元", "字符"),
    ("语系", "区域设置"),
    ("管线", "管道"),
    ("交易", "事务"),
    ("试跑", "试运行"),
    ("公合", "分升"),
    ("立方英寸", "立方英寸"),
    ("热狗", "热狗肠"),
    ("鱼贝类", "鱼类和贝类"),
    ("发酵黄豆", "发酵大豆"),
    ("讯息", "信息"),
    ("指令", "命令"),
    ("建立", "创建"),
    ("乳酪", "奶酪"),  # gouda is 高达奶酪 on the mainland (高达乳酪 read as a typo there)
    ("使用者", "用户"),
    ("奶油", "黄油"),  # butter: 奶油 is cream on the mainland (only butter is meant in the messages)
    # issue 19: reviewed for mainland usage (the Chinese DRIs' term; 升, not the Taiwan 公升)
    ("可容许上限摄取量", "可耐受最高摄入量"),
    ("摄取量", "摄入量"),
    ("公升", "升"),
    ("贝果", "百吉饼"),
    ("比斯吉", "司康饼"),
    ("优格", "酸奶"),
    ("萤幕", "屏幕"),
    # the web page and `serve` (network words differ most between the two usages)
    ("回路位址", "环回地址"),
    ("位址", "地址"),
    ("连接埠", "端口"),
    ("位元组", "字节"),
    ("伺服器", "服务器"),
    ("网路", "网络"),
    ("标头", "请求头"),
    ("勾选方块", "勾选复选框"),
    ("回应", "响应"),
    ("全域", "全局"),  # global options (the command line)
]

Message = tuple[
    str | tuple[str, str], str | None, str, int
]  # msgid (or singular, plural), context, file, line


def _help_texts(path: Path) -> Iterator[tuple[str, int]]:
    """Typer's help in one module: command docstrings and every help=/epilog= string constant."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in ("help", "epilog"):
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                yield inspect.cleandoc(node.value.value), node.value.lineno
        elif isinstance(node, ast.FunctionDef) and any(
            isinstance(d, ast.Call)
            and isinstance(d.func, ast.Attribute)
            and d.func.attr in ("command", "callback")
            for d in node.decorator_list
        ):
            doc = ast.get_docstring(node, clean=True)
            if doc:
                yield doc, node.body[0].lineno


def extract_messages() -> list[Message]:
    """Every message of the package, in source order, each once."""
    from babel.messages.extract import extract_from_file

    seen: set[tuple[str | tuple[str, str], str | None]] = set()
    found: list[Message] = []
    sources = [(path, "python", {}) for path in sorted(PACKAGE.rglob("*.py"))]
    sources += [(path, JINJA_METHOD, JINJA_OPTIONS) for path in sorted(TEMPLATES.glob("*.html"))]
    for path, method, options in sources:
        rel = path.relative_to(ROOT).as_posix()
        messages: list[tuple[str | tuple[str, str], str | None, int]] = [
            (message, context, line)
            for line, message, _comments, context in extract_from_file(
                method, path, KEYWORDS, options=options
            )
        ]
        if path.parent == HELP_PACKAGE:
            messages += [(text, None, line) for text, line in _help_texts(path)]
        for message, context, line in messages:
            if isinstance(message, tuple):
                message = (message[0], message[1]) if len(message) > 1 else message[0]
            if message and (message, context) not in seen:
                seen.add((message, context))
                found.append((message, context, rel, line))
    return found


def template():  # type: ignore[no-untyped-def]
    from babel.messages.catalog import Catalog

    catalog = Catalog(project="d3k2db", domain=DOMAIN, charset="utf-8", fuzzy=False)
    for message, context, path, line in extract_messages():
        flags = (
            ("python-brace-format",) if "{" in (message if isinstance(message, str) else message[0]) else ()
        )
        catalog.add(message, locations=[(path, line)], flags=flags, context=context)
    return catalog


def po_path(locale: str) -> Path:
    return LOCALE / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract() -> None:
    from babel.messages.pofile import write_po

    LOCALE.mkdir(parents=True, exist_ok=True)
    with (LOCALE / f"{DOMAIN}.pot").open("wb") as out:
        write_po(out, template(), width=100, omit_header=False)


def update() -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    pot = template()
    for locale in LOCALES:
        path = po_path(locale)
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=locale)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=locale, domain=DOMAIN, project="d3k2db", charset="utf-8")
        catalog.update(pot, no_fuzzy_matching=True)
        catalog.obsolete.clear()  # a message gone from the source leaves the catalog
        with path.open("wb") as out:
            write_po(out, catalog, width=100, sort_output=False)


def compile_() -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for locale in LOCALES:
        with po_path(locale).open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        with po_path(locale).with_suffix(".mo").open("wb") as out:
            write_mo(out, catalog, use_fuzzy=False)


def to_hans(text: str) -> str:
    """A zh_Hant message as the zh_Hans catalog must read it: OpenCC t2s, then HANS_TERMS."""
    import opencc

    converted: str = opencc.OpenCC("t2s").convert(text)
    for hant, hans in HANS_TERMS:
        converted = converted.replace(hant, hans)
    return converted


def hans() -> None:
    """Write every zh_Hans entry from its zh_Hant translation (a wording to change in Simplified is
    changed in HANS_TERMS, or in the Traditional source)."""
    from babel.messages.pofile import read_po, write_po

    with po_path("zh_Hant").open("rb") as handle:
        hant = {(m.id, m.context): m.string for m in read_po(handle, locale="zh_Hant") if m.id}
    with po_path("zh_Hans").open("rb") as handle:
        catalog = read_po(handle, locale="zh_Hans")
    for message in catalog:
        source = hant.get((message.id, message.context))
        if not message.id or not source:
            continue
        if isinstance(source, tuple | list):
            message.string = tuple(to_hans(part) for part in source)
        else:
            message.string = to_hans(source)
    with po_path("zh_Hans").open("wb") as out:
        write_po(out, catalog, width=100, sort_output=False)


def main(argv: list[str]) -> int:
    steps = {
        "extract": [extract],
        "update": [update],
        "compile": [compile_],
        "hans": [hans],
        "all": [extract, update, compile_],
    }
    if len(argv) != 1 or argv[0] not in steps:
        print(__doc__, file=sys.stderr)
        return 2
    for step in steps[argv[0]]:
        step()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
