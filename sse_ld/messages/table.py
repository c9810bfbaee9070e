"""Findings of the table stage (frictionless) and of the package checks: their catalogue
entries, and :func:`table_message`, which writes the message and the one-line fix of a
frictionless error from its descriptor (type, cell, note).

Fixes are concrete where the cell allows it: ``12,5`` in a number column gets "write
'12.5'", ``31/05/2013`` in a date column gets "write '2013-05-31'", ``sí`` in a boolean
column gets "write 'true'", a near miss of an allowed value gets "did you mean ...".
"""

from __future__ import annotations

import ast
import datetime
import difflib
import re
from collections.abc import Mapping
from typing import Any

from ..report import Location
from .core import Text, fill

__all__ = ["table_message", "type_hint"]

T = Text

# --- templates -----------------------------------------------------------------------------

TYPE_ERROR = T("${value} is not a valid ${type}", "${value} no es ${type}")
TYPE_WORDS = {
    "integer": T("integer", "un número entero válido"),
    "number": T("number", "un número válido"),
    "boolean": T("boolean", "un valor lógico válido (true o false)"),
    "date": T("date", "una fecha válida"),
    "datetime": T("datetime", "una fecha y hora válida"),
    "time": T("time", "una hora válida"),
    "year": T("year", "un año válido"),
    "yearmonth": T("yearmonth", "un año y mes válido"),
    "duration": T("duration", "una duración válida"),
    "geopoint": T("geopoint", "un punto geográfico válido"),
    "geojson": T("geojson", "un GeoJSON válido"),
    "object": T("object", "un objeto JSON válido"),
    "array": T("array", "una lista JSON válida"),
    "string": T("string", "un texto válido"),
}
TYPE_HINTS = {
    "integer": T(
        "write a whole number without decimals or thousands separators, e.g. 120",
        "escriba un número entero, sin decimales ni separadores de miles; por ejemplo, 120",
    ),
    "number": T(
        "write a number with a dot as decimal separator, e.g. 12.5",
        "escriba un número con punto decimal (no coma); por ejemplo, 12.5",
    ),
    "boolean": T("write true or false", "escriba true o false"),
    "date": T(
        "write the date as YYYY-MM-DD, e.g. 2013-05-31", "escriba la fecha como AAAA-MM-DD; por ejemplo, 2013-05-31"
    ),
    "datetime": T(
        "write the date and time as YYYY-MM-DDThh:mm:ss", "escriba la fecha y la hora como AAAA-MM-DDThh:mm:ss"
    ),
    "time": T("write the time as hh:mm:ss", "escriba la hora como hh:mm:ss"),
    "year": T("write a four-digit year, e.g. 2013", "escriba un año de cuatro cifras; por ejemplo, 2013"),
    "yearmonth": T("write the year and month as YYYY-MM", "escriba el año y el mes como AAAA-MM"),
    "duration": T("write an ISO 8601 duration such as P1Y", "escriba una duración ISO 8601, como P1Y"),
    "geopoint": T("write 'longitude, latitude'", "escriba 'longitud, latitud'"),
}
HINT_OTHER_TYPE = T(
    "write a value of type ${typename}, as the Table Schema declares",
    "escriba un valor de tipo ${typename}, como declara el esquema de la tabla",
)
HINT_SPACES = T("remove the spaces: write ${suggestion}", "quite los espacios: escriba ${suggestion}")
HINT_THOUSANDS = T(
    "write ${suggestion}, without thousands separators", "escriba ${suggestion}, sin separadores de miles"
)
HINT_WHOLE = T("write ${suggestion}, a whole number", "escriba ${suggestion}, un número entero")
HINT_DECIMAL_COMMA = T(
    "write ${suggestion}: the decimal separator is a dot, not a comma",
    "escriba ${suggestion}: el separador decimal es el punto, no la coma",
)
HINT_DATE = T(
    "write ${suggestion}: dates are written year-month-day", "escriba ${suggestion}: las fechas se escriben año-mes-día"
)
HINT_DATE_GUESS = T(
    "write ${suggestion} if the date is day/month/year: dates are written year-month-day",
    "escriba ${suggestion} si la fecha es día/mes/año: las fechas se escriben año-mes-día",
)
HINT_BOOLEAN = T(
    "write ${suggestion}: yes/no values are written true or false",
    "escriba ${suggestion}: los valores sí/no se escriben true o false",
)
HINT_MAPPING_TYPE = T("correct the value to match the column's type", "corrija el valor según el tipo de la columna")

REQUIRED = T("a value is required but the cell is empty", "falta un valor obligatorio: la celda está vacía")
REQUIRED_HINT = T("fill in the cell", "rellene la celda")
ENUM = T(
    "${value} is not one of the allowed values: ${allowed}", "${value} no es uno de los valores permitidos: ${allowed}"
)
ENUM_HINT = T("use one of the allowed values", "use uno de los valores permitidos")
ENUM_CLOSE = T("did you mean ${suggestion}?", "¿quiso decir ${suggestion}?")
PATTERN = T("${value} does not match the pattern ${pattern}", "${value} no sigue el patrón ${pattern}")
PATTERN_HINT = T("correct the value so it has the expected form", "corrija el valor para que tenga la forma esperada")
MINIMUM = T("${value} is below the minimum ${limit}", "${value} es menor que el mínimo ${limit}")
MINIMUM_HINT = T("write a value of at least ${limit}", "escriba un valor igual o mayor que ${limit}")
EXCL_MINIMUM = T("${value} must be greater than ${limit}", "${value} debe ser mayor que ${limit}")
EXCL_MINIMUM_HINT = T("write a value greater than ${limit}", "escriba un valor mayor que ${limit}")
MAXIMUM = T("${value} is above the maximum ${limit}", "${value} es mayor que el máximo ${limit}")
MAXIMUM_HINT = T("write a value of at most ${limit}", "escriba un valor igual o menor que ${limit}")
EXCL_MAXIMUM = T("${value} must be less than ${limit}", "${value} debe ser menor que ${limit}")
EXCL_MAXIMUM_HINT = T("write a value less than ${limit}", "escriba un valor menor que ${limit}")
MIN_LENGTH = T("${value} is shorter than ${limit} characters", "${value} tiene menos de ${limit} caracteres")
MIN_LENGTH_HINT = T("complete the text to at least ${limit} characters", "complete el texto hasta ${limit} caracteres")
MAX_LENGTH = T("${value} is longer than ${limit} characters", "${value} tiene más de ${limit} caracteres")
MAX_LENGTH_HINT = T("shorten the text to at most ${limit} characters", "acorte el texto a ${limit} caracteres o menos")
UNIQUE = T("${value} appears more than once in the column", "${value} aparece más de una vez en la columna")
UNIQUE_ROW = T(
    "${value} appears more than once in the column (also in row ${other})",
    "${value} aparece más de una vez en la columna (también en la fila ${other})",
)
UNIQUE_HINT = T("make each value in this column unique", "haga que cada valor de esta columna sea único")
OTHER_CONSTRAINT = T(
    "${value} breaks the constraint ${name} = ${rule}", "${value} no cumple la restricción ${name} = ${rule}"
)
PK_EMPTY = T("the key of this row is empty or invalid", "la clave de esta fila está vacía o no es válida")
PK_EMPTY_HINT = T("fill in a valid identifier", "escriba un identificador válido")
PK_DUP = T(
    "the key of this row is already used (same as row ${other})",
    "la clave de esta fila ya está usada (igual que en la fila ${other})",
)
PK_DUP_ANY = T("the key of this row is already used", "la clave de esta fila ya está usada")
PK_HINT = T("give each row its own identifier", "dé a cada fila su propio identificador")
FK = T("${value} is not found in ${ref} (column ${columns})", "${value} no existe en ${ref} (columna ${columns})")
FK_HINT = T(
    "use a value that exists in ${ref}, or add that row there first",
    "use un valor que exista en ${ref}, o añada antes esa fila allí",
)
BLANK_ROW = T("the row is empty", "la fila está vacía")
BLANK_ROW_HINT = T("delete the empty row", "borre la fila vacía")
EXTRA_CELL = T(
    "the row has more cells than the header (${value} is extra)",
    "la fila tiene más celdas que la cabecera (sobra ${value})",
)
EXTRA_CELL_HINT = T(
    "remove the extra cell or quote a value that contains the delimiter",
    "quite la celda que sobra, o ponga entre comillas el valor que contiene el separador",
)
MISSING_CELL = T("the row has fewer cells than the header", "la fila tiene menos celdas que la cabecera")
MISSING_CELL_HINT = T(
    "add the missing cells (empty cells still need their delimiter)",
    "añada las celdas que faltan (una celda vacía también lleva su separador)",
)
LABEL_HINT = T(
    "make the header row match the field names of the Table Schema, in order",
    "haga que la cabecera coincida, en orden, con los nombres de los campos del esquema",
)
INCORRECT_LABEL = T(
    "column ${position} is headed ${label}, but the Table Schema calls it ${name}",
    "la columna ${position} se titula ${label}, pero el esquema de la tabla la llama ${name}",
)
BLANK_LABEL = T("column ${position} has no header", "la columna ${position} no tiene cabecera")
DUPLICATE_LABEL = T("the header ${label} appears twice", "la cabecera ${label} aparece dos veces")
EXTRA_LABEL = T(
    "the header has a column ${label} that the Table Schema does not list",
    "la cabecera tiene una columna ${label} que el esquema de la tabla no incluye",
)
MISSING_LABEL = T(
    "the header lacks the column ${name} that the Table Schema lists",
    "falta en la cabecera la columna ${name} que el esquema de la tabla incluye",
)
ENCODING = T(
    "the file is not valid ${encoding} text: ${detail}", "el archivo no es texto ${encoding} válido: ${detail}"
)
ENCODING_HINT = T(
    "save the file as 'CSV UTF-8' (in a spreadsheet: Save as, CSV UTF-8), or declare its real "
    '"encoding" in datapackage.json, e.g. "windows-1252"',
    "guarde el archivo como 'CSV UTF-8' (en la hoja de cálculo: Guardar como, CSV UTF-8), o declare su "
    '"encoding" real en datapackage.json, por ejemplo "windows-1252"',
)
STRUCTURAL = T("${detail}", "${detail}")


# --- suggestions -----------------------------------------------------------------------------

_THOUSANDS = re.compile(r"[+-]?\d{1,3}([.,\u00a0 ]\d{3})+")
_WHOLE = re.compile(r"[+-]?\d+[.,]0+")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_EURO_NUMBER = re.compile(r"[+-]?\d{1,3}(\.\d{3})+,\d+")
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_TRUE = {"sí", "si", "s", "yes", "y", "verdadero", "v", "x", "t"}
_FALSE = {"no", "n", "falso", "f"}


def _ok(typ: str, text: str) -> bool:
    """Whether ``text`` is a plain valid value of ``typ`` (for checking a suggestion)."""
    try:
        if typ == "integer":
            return re.fullmatch(r"[+-]?\d+", text) is not None
        if typ == "number":
            float(text)
            return re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text) is not None
        if typ == "date":
            datetime.date.fromisoformat(text)
            return True
        if typ == "year":
            return re.fullmatch(r"\d{4}", text) is not None
    except ValueError:
        return False
    return False


def _date_hint(value: str) -> tuple[Text, str] | None:
    m = _DMY.fullmatch(value.strip())
    if not m:
        return None
    a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    for day, month, template in ((a, b, HINT_DATE if a > 12 else HINT_DATE_GUESS), (b, a, HINT_DATE)):
        try:
            return template, datetime.date(year, month, day).isoformat()
        except ValueError:
            continue
    return None


def type_hint(typ: str, value: str | None) -> str:
    """The fix for a cell ``value`` that is not a valid ``typ``: a corrected value when one
    can be told for sure (or nearly), else how to write that type."""
    v = value or ""
    found: tuple[Text, str] | None = None
    stripped = v.strip()
    if stripped != v and _ok(typ, stripped):
        found = HINT_SPACES, stripped
    elif typ == "integer" and _THOUSANDS.fullmatch(stripped):
        found = HINT_THOUSANDS, re.sub(r"[.,\u00a0 ]", "", stripped)
    elif typ == "integer" and _WHOLE.fullmatch(stripped):
        found = HINT_WHOLE, re.split(r"[.,]", stripped)[0]
    elif typ == "number" and _DECIMAL_COMMA.fullmatch(stripped):
        found = HINT_DECIMAL_COMMA, stripped.replace(",", ".")
    elif typ == "number" and _EURO_NUMBER.fullmatch(stripped):
        found = HINT_DECIMAL_COMMA, stripped.replace(".", "").replace(",", ".")
    elif typ == "date":
        found = _date_hint(v)
    elif typ == "year" and re.fullmatch(r"\d{4}[.,]0+", stripped):
        found = HINT_WHOLE, stripped[:4]
    elif typ == "boolean" and stripped.lower() in _TRUE | _FALSE:
        found = HINT_BOOLEAN, "true" if stripped.lower() in _TRUE else "false"
    if found:
        return fill(found[0].en, {"suggestion": repr(found[1])})
    if typ in TYPE_HINTS:
        return TYPE_HINTS[typ].en
    return fill(HINT_OTHER_TYPE.en, {"typename": typ})


_NOTE_TYPE = re.compile(r'type is "([a-z]+)/')
_NOTE_CONSTRAINT = re.compile(r'constraint "([A-Za-z]+)" is "(.*)"\Z', re.S)
_NOTE_ROW = re.compile(r'row at position "?(\d+)"?')


def _allowed(rule: str) -> list[str]:
    try:
        values = ast.literal_eval(rule)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return []
    return [str(v) for v in values] if isinstance(values, (list, tuple)) else []


def _constraint(err: Mapping[str, Any], value: str | None) -> tuple[str, str | None]:
    r = repr(value)
    m = _NOTE_CONSTRAINT.search(str(err.get("note", "")))
    name, rule = (m.group(1), m.group(2)) if m else ("", str(err.get("note", "")))
    if name == "required":
        return REQUIRED.en, REQUIRED_HINT.en
    if name == "enum":
        allowed = _allowed(rule)
        close = difflib.get_close_matches(value or "", allowed, n=1, cutoff=0.6)
        if not close:
            close = [a for a in allowed if a.lower() == (value or "").strip().lower()]
        hint = fill(ENUM_CLOSE.en, {"suggestion": repr(close[0])}) if close else ENUM_HINT.en
        return fill(ENUM.en, {"value": r, "allowed": ", ".join(allowed) or rule}), hint
    if name == "pattern":
        return fill(PATTERN.en, {"value": r, "pattern": rule}), PATTERN_HINT.en
    limits = {
        "minimum": (MINIMUM, MINIMUM_HINT),
        "exclusiveMinimum": (EXCL_MINIMUM, EXCL_MINIMUM_HINT),
        "maximum": (MAXIMUM, MAXIMUM_HINT),
        "exclusiveMaximum": (EXCL_MAXIMUM, EXCL_MAXIMUM_HINT),
        "minLength": (MIN_LENGTH, MIN_LENGTH_HINT),
        "maxLength": (MAX_LENGTH, MAX_LENGTH_HINT),
    }
    if name in limits:
        said, fix = limits[name]
        return fill(said.en, {"value": r, "limit": rule}), fill(fix.en, {"limit": rule})
    if name == "unique":
        return fill(UNIQUE.en, {"value": r}), UNIQUE_HINT.en
    return fill(OTHER_CONSTRAINT.en, {"value": r, "name": name, "rule": rule}), None


def table_message(code: str, err: Mapping[str, Any], loc: Location) -> tuple[str, str | None]:
    """Message and one-line fix (in English) for a frictionless error descriptor ``err``
    of type ``code`` at ``loc``; :func:`sse_ld.messages.localize` translates both."""
    value = loc.value
    r = repr(value)
    note = str(err.get("note", ""))
    if code == "type-error":
        m = _NOTE_TYPE.search(note)
        typ = m.group(1) if m else "string"
        return fill(TYPE_ERROR.en, {"value": r, "type": typ}), type_hint(typ, value)
    if code == "constraint-error":
        return _constraint(err, value)
    if code == "unique-error":
        other = _NOTE_ROW.search(note)
        if other:
            return fill(UNIQUE_ROW.en, {"value": r, "other": other.group(1)}), UNIQUE_HINT.en
        return fill(UNIQUE.en, {"value": r}), UNIQUE_HINT.en
    if code == "primary-key":
        if 'all "None"' in note:
            return PK_EMPTY.en, PK_EMPTY_HINT.en
        other = _NOTE_ROW.search(note)
        if other:
            return fill(PK_DUP.en, {"other": other.group(1)}), PK_HINT.en
        return PK_DUP_ANY.en, PK_HINT.en
    if code == "foreign-key":
        ref = repr(err.get("referenceName") or loc.resource or "")
        ref_fields = ",".join(err.get("referenceFieldNames") or [])
        return fill(FK.en, {"value": r, "ref": ref, "columns": ref_fields}), fill(FK_HINT.en, {"ref": ref})
    if code == "blank-row":
        return BLANK_ROW.en, BLANK_ROW_HINT.en
    if code == "extra-cell":
        return fill(EXTRA_CELL.en, {"value": r}), EXTRA_CELL_HINT.en
    if code == "missing-cell":
        return MISSING_CELL.en, MISSING_CELL_HINT.en
    label = repr(err.get("label"))
    params = {"label": label, "name": repr(err.get("fieldName")), "position": err.get("fieldNumber", "?")}
    labels = {
        "incorrect-label": INCORRECT_LABEL,
        "blank-label": BLANK_LABEL,
        "duplicate-label": DUPLICATE_LABEL,
        "extra-label": EXTRA_LABEL,
        "missing-label": MISSING_LABEL,
    }
    if code in labels:
        return fill(labels[code].en, params), LABEL_HINT.en
    if code == "encoding-error":
        codec = re.search(r"'([\w-]+)' codec", note)
        encoding = codec.group(1).upper() if codec else "UTF-8"
        return fill(ENCODING.en, {"encoding": encoding, "detail": note or err.get("message", "")}), ENCODING_HINT.en
    return str(err.get("message", code)), None


# --- checks sse_ld adds to frictionless's ------------------------------------------------

DELIMITER_UNDECLARED = T(
    "the file is separated by ${found}, but the package does not declare its delimiter, so commas are assumed",
    "el archivo está separado por ${found}, pero el paquete no declara su separador, así que se suponen comas",
)
DELIMITER_DECLARED = T(
    "the file is separated by ${found}, but the package declares ${declared}",
    "el archivo está separado por ${found}, pero el paquete declara ${declared}",
)
DELIMITER_HINT = T(
    'add "dialect": {"delimiter": "${char}"} to the resource ${resource} in datapackage.json, or save the file '
    "separated by commas",
    'añada "dialect": {"delimiter": "${char}"} al recurso ${resource} en datapackage.json, o guarde el archivo '
    "separado por comas",
)
DELIMITER_WORDS = {
    ",": T("commas (,)", "comas (,)"),
    ";": T("semicolons (;)", "puntos y comas (;)"),
    "\t": T("tabs", "tabuladores"),
    "|": T("vertical bars (|)", "barras verticales (|)"),
}
ERROR_LIMIT = T(
    "the table has more than ${limit} findings; only the first ${limit} are reported",
    "la tabla tiene más de ${limit} hallazgos; solo se informan los primeros ${limit}",
)
ERROR_LIMIT_HINT = T("fix these findings and validate again", "corrija estos hallazgos y vuelva a validar")
DELIMITER_HINT_COMMA = T(
    'write "delimiter": "," in the dialect of the resource ${resource} in datapackage.json, or remove it (commas '
    "are the default)",
    'escriba "delimiter": "," en el dialecto del recurso ${resource} en datapackage.json, o quítelo (la coma es '
    "el separador por defecto)",
)
MISSING_CELLS = T(
    "the row has fewer cells than the header: no cell for ${fields}",
    "la fila tiene menos celdas que la cabecera: falta la celda de ${fields}",
)
UNCLOSED_QUOTE = T(
    "a quote opens in this cell and is never closed, so the rest of the file (${lines} lines) is read as one cell",
    "en esta celda se abren comillas que nunca se cierran, así que el resto del archivo (${lines} líneas) se lee "
    "como una sola celda",
)
UNCLOSED_QUOTE_HINT = T(
    'close the quote at the end of the value (add a "), or remove the opening one',
    'cierre las comillas al final del valor (añada una "), o quite las de apertura',
)
