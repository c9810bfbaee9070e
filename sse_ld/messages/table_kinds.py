"""Catalogue entries of the package and table stages (frictionless's error types, and the
checks sse_ld adds: the CSV delimiter, the table error limit)."""

from __future__ import annotations

from . import table as t
from .core import Kind, Text

__all__ = ["KINDS"]

T = Text

_TYPE_HINT_TEMPLATES = (
    *t.TYPE_HINTS.values(),
    t.HINT_SPACES,
    t.HINT_THOUSANDS,
    t.HINT_WHOLE,
    t.HINT_DECIMAL_COMMA,
    t.HINT_DATE,
    t.HINT_DATE_GUESS,
    t.HINT_BOOLEAN,
    t.HINT_OTHER_TYPE,
    t.HINT_MAPPING_TYPE,
)


def _structural(code: str, title: Text, explanation: Text, fix: Text) -> Kind:
    return Kind(code, "package", title, explanation, fix, (t.STRUCTURAL,))


KINDS: tuple[Kind, ...] = (
    Kind(
        "type-error",
        "table",
        T("value of the wrong type", "valor de tipo incorrecto"),
        T(
            "The cell cannot be read as the type its column declares in the Table Schema (a number, a date, "
            "true/false, ...).",
            "La celda no se puede leer como el tipo que su columna declara en el esquema de la tabla (un número, "
            "una fecha, true/false, ...).",
        ),
        T("write the value the way the column's type requires", "escriba el valor como lo pide el tipo de la columna"),
        (t.TYPE_ERROR,),
        _TYPE_HINT_TEMPLATES,
        {"type": t.TYPE_WORDS},
    ),
    Kind(
        "constraint-error",
        "table",
        T("value breaks a rule of its column", "valor que no cumple una regla de su columna"),
        T(
            "The cell breaks a constraint of its column: it is required, must be one of a list of values, follow a "
            "pattern, or stay within a minimum and a maximum.",
            "La celda no cumple una restricción de su columna: es obligatoria, debe ser uno de una lista de valores, "
            "seguir un patrón, o estar entre un mínimo y un máximo.",
        ),
        T("correct the value as the rule says", "corrija el valor como indica la regla"),
        (
            t.REQUIRED,
            t.ENUM,
            t.PATTERN,
            t.MINIMUM,
            t.EXCL_MINIMUM,
            t.MAXIMUM,
            t.EXCL_MAXIMUM,
            t.MIN_LENGTH,
            t.MAX_LENGTH,
            t.UNIQUE,
            t.OTHER_CONSTRAINT,
        ),
        (
            t.REQUIRED_HINT,
            t.ENUM_HINT,
            t.ENUM_CLOSE,
            t.PATTERN_HINT,
            t.MINIMUM_HINT,
            t.EXCL_MINIMUM_HINT,
            t.MAXIMUM_HINT,
            t.EXCL_MAXIMUM_HINT,
            t.MIN_LENGTH_HINT,
            t.MAX_LENGTH_HINT,
            t.UNIQUE_HINT,
        ),
    ),
    Kind(
        "unique-error",
        "table",
        T("repeated value in a unique column", "valor repetido en una columna única"),
        T(
            "A column whose values must all differ has the same value in two rows.",
            "Una columna cuyos valores deben ser todos distintos tiene el mismo valor en dos filas.",
        ),
        t.UNIQUE_HINT,
        (t.UNIQUE_ROW, t.UNIQUE),
        (t.UNIQUE_HINT,),
    ),
    Kind(
        "primary-key",
        "table",
        T("repeated or empty identifier", "identificador repetido o vacío"),
        T(
            "The identifier of the row (the primary key of the Table Schema) is empty, or another row already uses it.",
            "El identificador de la fila (la clave primaria del esquema de la tabla) está vacío, o ya lo usa "
            "otra fila.",
        ),
        t.PK_HINT,
        (t.PK_EMPTY, t.PK_DUP, t.PK_DUP_ANY),
        (t.PK_EMPTY_HINT, t.PK_HINT),
    ),
    Kind(
        "foreign-key",
        "table",
        T("link to a row that does not exist", "enlace a una fila que no existe"),
        T(
            "The cell refers to a row of another table (a foreign key) by a value that no row of that table has.",
            "La celda se refiere a una fila de otra tabla (una clave foránea) con un valor que ninguna fila de "
            "esa tabla tiene.",
        ),
        T(
            "use a value that exists in the other table, or add that row there",
            "use un valor que exista en la otra tabla, o añada allí esa fila",
        ),
        (t.FK,),
        (t.FK_HINT,),
    ),
    Kind(
        "blank-row",
        "table",
        T("empty row", "fila vacía"),
        T("A row has no value at all.", "Una fila no tiene ningún valor."),
        t.BLANK_ROW_HINT,
        (t.BLANK_ROW,),
        (t.BLANK_ROW_HINT,),
    ),
    Kind(
        "extra-cell",
        "table",
        T("more cells than columns", "más celdas que columnas"),
        T(
            "A row has more cells than the header has columns, usually because a value contains the delimiter "
            "(a comma) without being quoted.",
            "Una fila tiene más celdas que columnas la cabecera, casi siempre porque un valor contiene el "
            "separador (una coma) sin estar entre comillas.",
        ),
        t.EXTRA_CELL_HINT,
        (t.EXTRA_CELL,),
        (t.EXTRA_CELL_HINT,),
    ),
    Kind(
        "missing-cell",
        "table",
        T("fewer cells than columns", "menos celdas que columnas"),
        T(
            "A row has fewer cells than the header has columns.",
            "Una fila tiene menos celdas que columnas la cabecera.",
        ),
        t.MISSING_CELL_HINT,
        (t.MISSING_CELLS, t.MISSING_CELL),
        (t.MISSING_CELL_HINT,),
    ),
    *(
        Kind(
            code,
            "table",
            title,
            T(
                "The header row of the file does not match the fields of the Table Schema.",
                "La fila de cabecera del archivo no coincide con los campos del esquema de la tabla.",
            ),
            t.LABEL_HINT,
            (template,),
            (t.LABEL_HINT,),
        )
        for code, title, template in (
            (
                "incorrect-label",
                T("header differs from the schema", "cabecera distinta del esquema"),
                t.INCORRECT_LABEL,
            ),
            ("blank-label", T("column without header", "columna sin cabecera"), t.BLANK_LABEL),
            ("duplicate-label", T("repeated header", "cabecera repetida"), t.DUPLICATE_LABEL),
            ("extra-label", T("column not in the schema", "columna que no está en el esquema"), t.EXTRA_LABEL),
            (
                "missing-label",
                T("schema column missing from the file", "falta una columna del esquema"),
                t.MISSING_LABEL,
            ),
        )
    ),
    Kind(
        "encoding-error",
        "package",
        T("file not in UTF-8", "archivo que no está en UTF-8"),
        T(
            "The file is not UTF-8 text, or not in the encoding the package declares; spreadsheets often save CSV "
            "files as Windows-1252 (Latin-1), which turns accents and ñ into unreadable bytes.",
            "El archivo no es texto UTF-8, o no está en la codificación que declara el paquete; las hojas de "
            "cálculo suelen guardar los CSV en Windows-1252 (Latin-1), y entonces las tildes y la ñ no se pueden "
            "leer.",
        ),
        t.ENCODING_HINT,
        (t.ENCODING, t.STRUCTURAL),
        (t.ENCODING_HINT,),
    ),
    _structural(
        "schema-error",
        T("invalid Table Schema", "esquema de tabla no válido"),
        T(
            "The Table Schema of a resource is not valid (for example, an unknown field type).",
            "El esquema de tabla de un recurso no es válido (por ejemplo, un tipo de campo desconocido).",
        ),
        T(
            "correct the schema in datapackage.json (see the Table Schema specification)",
            "corrija el esquema en datapackage.json (vea la especificación Table Schema)",
        ),
    ),
    _structural(
        "field-error",
        T("invalid field definition", "definición de campo no válida"),
        T("A field of a Table Schema is not valid.", "Un campo de un esquema de tabla no es válido."),
        T("correct the field in datapackage.json", "corrija el campo en datapackage.json"),
    ),
    _structural(
        "resource-error",
        T("invalid resource", "recurso no válido"),
        T("A resource of datapackage.json is not valid.", "Un recurso de datapackage.json no es válido."),
        T("correct the resource in datapackage.json", "corrija el recurso en datapackage.json"),
    ),
    _structural(
        "package-error",
        T("invalid package descriptor", "descriptor de paquete no válido"),
        T(
            "datapackage.json is not a valid Data Package descriptor.",
            "datapackage.json no es un descriptor de Data Package válido.",
        ),
        T("correct datapackage.json", "corrija datapackage.json"),
    ),
    _structural(
        "dialect-error",
        T("invalid CSV dialect", "dialecto CSV no válido"),
        T(
            "The CSV dialect declared for a resource is not valid.",
            "El dialecto CSV declarado para un recurso no es válido.",
        ),
        T('correct the "dialect" of the resource', 'corrija el "dialect" del recurso'),
    ),
    _structural(
        "source-error",
        T("unreadable data", "datos ilegibles"),
        T("The data of a resource cannot be read as a table.", "Los datos de un recurso no se pueden leer como tabla."),
        T("check that the file is a CSV file", "compruebe que el archivo es un CSV"),
    ),
    _structural(
        "format-error",
        T("unreadable file format", "formato de archivo ilegible"),
        T("The file cannot be parsed in its declared format.", "El archivo no se puede leer en el formato declarado."),
        T("save the file as CSV", "guarde el archivo como CSV"),
    ),
    _structural(
        "scheme-error",
        T("data cannot be loaded", "no se pueden cargar los datos"),
        T(
            "The data of a resource cannot be loaded from where it is said to be.",
            "Los datos de un recurso no se pueden cargar desde donde se indica.",
        ),
        T("check the path of the resource", "revise la ruta (path) del recurso"),
    ),
)

KINDS += (
    Kind(
        "csv-delimiter",
        "package",
        T("CSV delimiter other than declared", "separador CSV distinto del declarado"),
        T(
            "The file separates its cells with another character than the package says (spreadsheets set to "
            "Spanish often save CSV files with semicolons). Other programs would read it wrongly.",
            "El archivo separa sus celdas con otro carácter distinto del que dice el paquete (las hojas de cálculo "
            "en español suelen guardar los CSV con punto y coma). Otros programas lo leerían mal.",
        ),
        T(
            'declare the delimiter in the resource\'s "dialect", or save the file separated by commas',
            'declare el separador en el "dialect" del recurso, o guarde el archivo separado por comas',
        ),
        (t.DELIMITER_UNDECLARED, t.DELIMITER_DECLARED),
        (t.DELIMITER_HINT, t.DELIMITER_HINT_COMMA),
        {"found": t.DELIMITER_WORDS, "declared": t.DELIMITER_WORDS},
    ),
    Kind(
        "table-error-limit",
        "table",
        T("too many findings in one table", "demasiados hallazgos en una tabla"),
        T(
            "The table validator stopped counting after a limit; the table has more problems than are listed.",
            "El validador de tablas dejó de contar al llegar a un límite; la tabla tiene más problemas de los "
            "que se listan.",
        ),
        t.ERROR_LIMIT_HINT,
        (t.ERROR_LIMIT,),
        (t.ERROR_LIMIT_HINT,),
    ),
    Kind(
        "csv-unclosed-quote",
        "package",
        T("quote never closed", "comillas sin cerrar"),
        T(
            'A cell opens a quote (") that is never closed, so everything after it, to the end of the file, is '
            "read as part of that cell and the following rows are lost.",
            'Una celda abre comillas (") que nunca se cierran, así que todo lo que sigue, hasta el final del '
            "archivo, se lee como parte de esa celda y las filas siguientes se pierden.",
        ),
        t.UNCLOSED_QUOTE_HINT,
        (t.UNCLOSED_QUOTE,),
        (t.UNCLOSED_QUOTE_HINT,),
    ),
)
