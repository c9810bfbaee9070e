"""Catalogue entries of the mapping stage: mistakes in the mapping itself (found before any
row is read, located by a JSON pointer) and cells that cannot become RDF terms.

The English templates here are the sentences :mod:`sse_ld.mapping` and
:mod:`sse_ld.pipeline` write; a test runs every invalid case in Spanish and fails when a
message no longer matches its template, so the two cannot drift apart unnoticed.
"""

from __future__ import annotations

from .core import Kind, Text

__all__ = ["FRAGMENTS", "KINDS"]

T = Text
_MAPPING_DOC = T("see docs/mapping.md for the mapping language", "vea docs/mapping.md, el lenguaje de mapping")

#: Sub-sentences that appear inside messages (the reason an IRI or a literal is invalid).
FRAGMENTS: tuple[Text, ...] = (
    T(
        "it has no scheme (an absolute IRI starts with e.g. 'https:')",
        "no tiene esquema (un IRI absoluto empieza, por ejemplo, por 'https:')",
    ),
    T(
        "it contains the character ${char}, which is not allowed in an IRI",
        "contiene el carácter ${char}, que no se admite en un IRI",
    ),
    T(
        "it contains a '%' that is not followed by two hexadecimal digits",
        "contiene un '%' que no va seguido de dos cifras hexadecimales",
    ),
    T(
        "it contains an invalid Unicode character (a lone surrogate)",
        "contiene un carácter Unicode no válido (un sustituto aislado)",
    ),
    T("it must end with / or #", "debe terminar en / o #"),
    T("${value} is not a valid xsd:${datatype}", "${value} no es un xsd:${datatype} válido"),
)

MISSING = T("the package has no mapping to RDF", "el paquete no tiene mapping a RDF")
MISSING_HINT = T(
    'add "sse_ld": {"mapping": "mapping.json"} to datapackage.json (see docs/mapping.md)',
    'añada "sse_ld": {"mapping": "mapping.json"} a datapackage.json (vea docs/mapping.md)',
)
INVALID_KEYS = T(
    "${where}: this combination of keys is not allowed (${keys})",
    "${where}: esta combinación de claves no está permitida (${keys})",
)
INVALID = T("${where}: ${detail}", "${where}: ${detail}")
BAD_BASE = T("the base IRI ${base} is not usable: ${problem}", "el IRI base ${base} no se puede usar: ${problem}")
UNKNOWN_RESOURCE = T(
    "the mapping names the resource ${name}, which the package does not have",
    "el mapping nombra el recurso ${name}, que el paquete no tiene",
)
USE_ONE_OF = T("use one of: ${names}", "use uno de estos: ${names}")
UNKNOWN_COLUMN = T(
    "resource ${resource} has no column ${column}", "el recurso ${resource} no tiene la columna ${column}"
)
UNKNOWN_PREFIX = T(
    "the prefix ${prefix} in ${text} is not declared", "el prefijo ${prefix} de ${text} no está declarado"
)
PREFIX_HINT = T(
    'declare it under "prefixes", or use one of: ${prefixes}',
    'declárelo en "prefixes", o use uno de estos: ${prefixes}',
)
BAD_TERM = T("${text} is not a CURIE or an absolute IRI", "${text} no es un CURIE ni un IRI absoluto")
BAD_TERM_HINT = T(
    "write a term such as 'schema:name' or a full IRI such as 'https://schema.org/name'",
    "escriba un término como 'schema:name' o un IRI completo como 'https://schema.org/name'",
)
BAD_TERM_IRI = T("${text} is not a valid IRI: ${problem}", "${text} no es un IRI válido: ${problem}")
UNKNOWN_TERM = T("${text} is not a term of its vocabulary", "${text} no es un término de su vocabulario")
UNKNOWN_TERM_HINT = T(
    "check the spelling against the vocabulary (terms are case-sensitive)",
    "compare la ortografía con el vocabulario (los términos distinguen mayúsculas)",
)
TEMPLATE_NOT_ABSOLUTE = T(
    "the IRI template ${text} is neither absolute nor a CURIE", "la plantilla de IRI ${text} no es absoluta ni un CURIE"
)
TEMPLATE_NOT_ABSOLUTE_HINT = T(
    "start it with a declared prefix (e.g. 'wd:{id}') or 'https://'",
    "empiécela con un prefijo declarado (por ejemplo 'wd:{id}') o con 'https://'",
)
TEMPLATE_BRACES = T("unbalanced braces in template ${text}", "llaves desparejadas en la plantilla ${text}")
TEMPLATE_VARIABLE = T(
    "bad variable {${inner}} in template ${text}", "variable incorrecta {${inner}} en la plantilla ${text}"
)
TEMPLATE_VAR_HINT = T("write variables as {column} or {+column}", "escriba las variables como {columna} o {+columna}")
SUBJECT_NO_VARIABLE = T(
    "the subject template ${text} has no {column}: every row would get the same IRI",
    "la plantilla de sujeto ${text} no tiene {columna}: todas las filas tendrían el mismo IRI",
)
SUBJECT_NO_VARIABLE_HINT = T(
    "include the key column(s), e.g. 'organisation/{id}'",
    "incluya la(s) columna(s) clave; por ejemplo, 'organisation/{id}'",
)
CONSTANT_VARIABLES = T("a constant IRI cannot contain {variables}", "un IRI constante no puede contener {variables}")
TEMPLATE_UNUSED_COLUMN = T(
    "the IRI template ${text} does not use its column ${column}",
    "la plantilla de IRI ${text} no usa su columna ${column}",
)
UNSUPPORTED_TYPE = T(
    "column ${column} has type ${type}, which has no literal form",
    "la columna ${column} es de tipo ${type}, que no tiene forma literal",
)
UNSUPPORTED_TYPE_HINT = T(
    'map it through a "template" (e.g. a WKT point) instead',
    'mapéela mediante una "template" (por ejemplo, un punto WKT)',
)
LITERAL_SURROGATE = T(
    "the constant contains an invalid Unicode character", "la constante contiene un carácter Unicode no válido"
)
LITERAL_CONSTANT = T("the constant ${problem}", "la constante ${problem}")
LITERAL_LANG = T(
    "column ${column} has type ${type}; only text can carry a language tag",
    "la columna ${column} es de tipo ${type}; solo el texto puede llevar etiqueta de idioma",
)
LITERAL_LANG_HINT = T(
    'remove "lang", or declare the column as a string', 'quite "lang", o declare la columna como string'
)
LITERAL_SEPARATOR = T(
    "a multi-column foreign key cannot have a separator",
    "una clave foránea de varias columnas no puede tener separador",
)
UNKNOWN_CODE_LIST = T("no SKOS concept scheme ${scheme} is known", "no se conoce ningún esquema SKOS ${scheme}")
UNKNOWN_CODE_LIST_HINT = T(
    'use a scheme from ontology/codes/ or list the package\'s own Turtle file under "vocabularies"',
    'use un esquema de ontology/codes/ o liste el archivo Turtle propio del paquete en "vocabularies"',
)
FK_UNDECLARED = T(
    "column ${column} links to ${target}, but the Table Schema declares no foreign key from it to ${target}",
    "la columna ${column} enlaza con ${target}, pero el esquema de la tabla no declara ninguna clave foránea "
    "de ella a ${target}",
)
FK_UNDECLARED_HINT = T("add to the schema of ${resource}: ${json}", "añada al esquema de ${resource}: ${json}")
FK_UNMAPPED = T(
    "column ${column} links to ${target}, which the mapping does not map",
    "la columna ${column} enlaza con ${target}, que el mapping no mapea",
)
FK_UNMAPPED_HINT = T(
    "add a mapping for ${target} so its rows have IRIs",
    "añada un mapping para ${target}, para que sus filas tengan IRI",
)
FK_UNCOVERED = T(
    "the subject of ${target} uses column(s) ${columns} that the foreign key does not cover",
    "el sujeto de ${target} usa columna(s) ${columns} que la clave foránea no cubre",
)
FK_UNCOVERED_HINT = T(
    "make the foreign key reference the columns of the referenced subject template",
    "haga que la clave foránea apunte a las columnas de la plantilla del sujeto enlazado",
)
EMPTY_SUBJECT = T(
    "the row has no usable value in ${columns}, so it gets no IRI",
    "la fila no tiene un valor utilizable en ${columns}, así que no recibe IRI",
)
EMPTY_SUBJECT_HINT = T(
    "fill in the identifier column(s) of this row", "rellene la(s) columna(s) de identificador de esta fila"
)
SUBJECT_IRI = T("the subject IRI ${iri} is invalid: ${problem}", "el IRI de sujeto ${iri} no es válido: ${problem}")
VALUE_IRI = T("the value makes the invalid IRI ${iri}: ${problem}", "el valor da el IRI no válido ${iri}: ${problem}")
IRI_HINT = T(
    "write a full address starting with https://, without spaces",
    "escriba una dirección completa que empiece por https://, sin espacios",
)
LEXICAL = T("${value} is not a valid xsd:${datatype}", "${value} no es un xsd:${datatype} válido")
LEXICAL_HINT_TEMPLATE = T(
    "correct the value(s) used by the template", "corrija el valor o los valores que usa la plantilla"
)
LEXICAL_HINT = T(
    "write the value in the form the datatype requires", "escriba el valor en la forma que pide el tipo de dato"
)
CONTROL_CHARACTER = T(
    "the text contains the control character ${character}, which RDF text cannot hold",
    "el texto contiene el carácter de control ${character}, que un texto RDF no puede contener",
)
CONTROL_CHARACTER_HINT = T(
    "delete the invisible character (it is often left by copying from another program)",
    "borre el carácter invisible (suele quedar al copiar desde otro programa)",
)
UNKNOWN_CODE = T("${value} is not a code of the list ${scheme}", "${value} no es un código de la lista ${scheme}")
UNKNOWN_CODE_HINT = T(
    "use one of: ${codes}; to add a code, ask for it in the code list",
    "use uno de estos: ${codes}; para añadir un código, pídalo para la lista de códigos",
)
UNKNOWN_CODE_CLOSE = T(
    "did you mean ${suggestion}? To add a code, ask for it in the code list",
    "¿quiso decir ${suggestion}? Para añadir un código, pídalo para la lista de códigos",
)
UNKNOWN_CODE_NUMERIC = T(
    "use one of the ${count} codes of the list (check each digit); to add a code, ask for it in the code list",
    "use uno de los ${count} códigos de la lista (revise cada cifra); para añadir un código, pídalo para la "
    "lista de códigos",
)
DUPLICATE_SUBJECT = T(
    "this row gets the same IRI as row ${row}: ${iri}", "esta fila recibe el mismo IRI que la fila ${row}: ${iri}"
)
DUPLICATE_SUBJECT_HINT = T("give each row its own identifier", "dé a cada fila su propio identificador")


def _kind(
    code: str, title: Text, explanation: Text, fix: Text, messages: tuple[Text, ...], hints: tuple[Text, ...] = ()
) -> Kind:
    return Kind(code, "mapping", title, explanation, fix, messages, hints or (fix,))


KINDS: tuple[Kind, ...] = (
    _kind(
        "mapping-missing",
        T("no mapping", "sin mapping"),
        T(
            "The package does not say how its tables become RDF.",
            "El paquete no dice cómo sus tablas se convierten en RDF.",
        ),
        MISSING_HINT,
        (MISSING,),
    ),
    _kind(
        "mapping-invalid",
        T("mapping does not follow its schema", "el mapping no sigue su esquema"),
        T(
            "The mapping breaks its JSON Schema: a key is misspelt, missing or of the wrong kind.",
            "El mapping no cumple su JSON Schema: una clave está mal escrita, falta o es del tipo equivocado.",
        ),
        _MAPPING_DOC,
        (INVALID_KEYS, INVALID),
    ),
    _kind(
        "mapping-bad-base",
        T("unusable base IRI", "IRI base no utilizable"),
        T(
            "The base IRI under which the dataset's resources are named is not a valid IRI ending in / or #.",
            "El IRI base bajo el que se nombran los recursos del conjunto de datos no es un IRI válido que "
            "termine en / o #.",
        ),
        T("give a base IRI such as https://example.org/my-data/", "dé un IRI base como https://example.org/mis-datos/"),
        (BAD_BASE,),
    ),
    _kind(
        "mapping-unknown-resource",
        T("mapping names a missing resource", "el mapping nombra un recurso inexistente"),
        T(
            "The mapping maps a resource the package does not have.",
            "El mapping mapea un recurso que el paquete no tiene.",
        ),
        T("use the name of a resource of datapackage.json", "use el nombre de un recurso de datapackage.json"),
        (UNKNOWN_RESOURCE,),
        (USE_ONE_OF,),
    ),
    _kind(
        "mapping-unknown-column",
        T("mapping names a missing column", "el mapping nombra una columna inexistente"),
        T(
            "The mapping reads a column that the resource's Table Schema does not have.",
            "El mapping lee una columna que el esquema de tabla del recurso no tiene.",
        ),
        T("use the name of a field of the Table Schema", "use el nombre de un campo del esquema de la tabla"),
        (UNKNOWN_COLUMN,),
        (USE_ONE_OF,),
    ),
    _kind(
        "mapping-unknown-prefix",
        T("undeclared prefix", "prefijo no declarado"),
        T(
            "A CURIE in the mapping uses a prefix that is neither standard nor declared.",
            "Un CURIE del mapping usa un prefijo que no es estándar ni está declarado.",
        ),
        T('declare the prefix under "prefixes"', 'declare el prefijo en "prefixes"'),
        (UNKNOWN_PREFIX,),
        (PREFIX_HINT,),
    ),
    _kind(
        "mapping-bad-term",
        T("malformed term", "término mal formado"),
        T(
            "A class, property or datatype in the mapping is neither a CURIE nor a valid absolute IRI.",
            "Una clase, propiedad o tipo de dato del mapping no es un CURIE ni un IRI absoluto válido.",
        ),
        BAD_TERM_HINT,
        (BAD_TERM, BAD_TERM_IRI),
    ),
    _kind(
        "mapping-unknown-term",
        T("term not in its vocabulary", "término que no está en su vocabulario"),
        T(
            "The mapping uses a term of a known vocabulary (sse, schema.org, SKOS, ...) that the vocabulary "
            "does not define: usually a spelling mistake.",
            "El mapping usa un término de un vocabulario conocido (sse, schema.org, SKOS, ...) que el "
            "vocabulario no define: casi siempre una falta de ortografía.",
        ),
        UNKNOWN_TERM_HINT,
        (UNKNOWN_TERM,),
    ),
    _kind(
        "mapping-bad-template",
        T("malformed IRI template", "plantilla de IRI mal formada"),
        T(
            "An IRI template of the mapping cannot be used: unbalanced braces, a bad variable, no variable in a "
            "subject, or a relative template where an absolute one is needed.",
            "Una plantilla de IRI del mapping no se puede usar: llaves desparejadas, una variable incorrecta, un "
            "sujeto sin variable, o una plantilla relativa donde hace falta una absoluta.",
        ),
        TEMPLATE_VAR_HINT,
        (
            TEMPLATE_NOT_ABSOLUTE,
            TEMPLATE_BRACES,
            TEMPLATE_VARIABLE,
            SUBJECT_NO_VARIABLE,
            CONSTANT_VARIABLES,
            TEMPLATE_UNUSED_COLUMN,
        ),
        (TEMPLATE_NOT_ABSOLUTE_HINT, TEMPLATE_VAR_HINT, SUBJECT_NO_VARIABLE_HINT),
    ),
    _kind(
        "mapping-unsupported-type",
        T("column type without literal form", "tipo de columna sin forma literal"),
        T(
            "A column of a type such as geopoint or object is mapped directly to a literal.",
            "Una columna de un tipo como geopoint u object se mapea directamente a un literal.",
        ),
        UNSUPPORTED_TYPE_HINT,
        (UNSUPPORTED_TYPE,),
    ),
    _kind(
        "mapping-bad-literal",
        T("unusable literal", "literal no utilizable"),
        T(
            "A constant or a literal property of the mapping cannot give a valid literal.",
            "Una constante o una propiedad literal del mapping no puede dar un literal válido.",
        ),
        T("correct the constant or the property in the mapping", "corrija la constante o la propiedad del mapping"),
        (LITERAL_SURROGATE, LITERAL_CONSTANT, LITERAL_LANG, LITERAL_SEPARATOR),
        (LITERAL_LANG_HINT,),
    ),
    _kind(
        "mapping-unknown-code-list",
        T("unknown code list", "lista de códigos desconocida"),
        T(
            "A column is mapped to a code list (SKOS concept scheme) that is neither bundled nor in the package.",
            "Una columna se mapea a una lista de códigos (esquema de conceptos SKOS) que no viene incluida ni "
            "está en el paquete.",
        ),
        UNKNOWN_CODE_LIST_HINT,
        (UNKNOWN_CODE_LIST,),
    ),
    _kind(
        "mapping-no-foreign-key",
        T("link without foreign key", "enlace sin clave foránea"),
        T(
            "A column is mapped as a link to another resource, but the Table Schema does not declare the foreign "
            "key that makes the link checkable, or the other resource is not mapped.",
            "Una columna se mapea como enlace a otro recurso, pero el esquema de la tabla no declara la clave "
            "foránea que permite comprobar el enlace, o el otro recurso no está mapeado.",
        ),
        T(
            'declare the foreign key under "foreignKeys" in the Table Schema',
            'declare la clave foránea en "foreignKeys" del esquema de la tabla',
        ),
        (FK_UNDECLARED, FK_UNMAPPED, FK_UNCOVERED),
        (FK_UNDECLARED_HINT, FK_UNMAPPED_HINT, FK_UNCOVERED_HINT),
    ),
    _kind(
        "mapping-empty-subject",
        T("row without identifier", "fila sin identificador"),
        T(
            "The row has no value in the column(s) its IRI is made from, so it cannot be published.",
            "La fila no tiene valor en la(s) columna(s) con que se forma su IRI, así que no se puede publicar.",
        ),
        EMPTY_SUBJECT_HINT,
        (EMPTY_SUBJECT,),
    ),
    _kind(
        "invalid-iri",
        T("value makes an invalid IRI", "valor que da un IRI no válido"),
        T(
            "A cell used in an IRI (a web address, or the identifier of a row) makes an IRI that is not valid, "
            "for example because it contains a space.",
            "Una celda usada en un IRI (una dirección web, o el identificador de una fila) da un IRI que no es "
            "válido, por ejemplo porque contiene un espacio.",
        ),
        IRI_HINT,
        (SUBJECT_IRI, VALUE_IRI),
    ),
    _kind(
        "invalid-lexical",
        T("value not valid for its datatype", "valor no válido para su tipo de dato"),
        T(
            "A cell (or a value made from several cells) is not valid for the RDF datatype the mapping gives it.",
            "Una celda (o un valor hecho de varias celdas) no es válida para el tipo de dato RDF que le da el mapping.",
        ),
        LEXICAL_HINT,
        (LEXICAL,),
        (LEXICAL_HINT, LEXICAL_HINT_TEMPLATE),
    ),
    _kind(
        "invalid-character",
        T("control character in a text", "carácter de control en un texto"),
        T(
            "A cell holds an invisible control character (U+0001 to U+001F, except tab, line feed and carriage "
            "return). Such characters are not allowed in XML, so not in RDF text values either.",
            "Una celda contiene un carácter de control invisible (de U+0001 a U+001F, salvo tabulador, salto de "
            "línea y retorno de carro). Esos caracteres no están permitidos en XML, ni por tanto en los textos RDF.",
        ),
        CONTROL_CHARACTER_HINT,
        (CONTROL_CHARACTER,),
    ),
    _kind(
        "unknown-code",
        T("code not in the code list", "código que no está en la lista"),
        T(
            "The cell should hold a code of a code list (for example an organisation type, or the UBIGEO code "
            "of a district), and the list has no such code.",
            "La celda debe tener un código de una lista de códigos (por ejemplo, un tipo de organización, o el "
            "código UBIGEO de un distrito), y la lista no tiene ese código.",
        ),
        T(
            "use a code of the list; to add a code, ask for it (see the contributor guide)",
            "use un código de la lista; para añadir un código, pídalo (vea la guía de contribución)",
        ),
        (UNKNOWN_CODE,),
        (UNKNOWN_CODE_HINT, UNKNOWN_CODE_CLOSE, UNKNOWN_CODE_NUMERIC),
    ),
    _kind(
        "duplicate-subject",
        T("two rows with the same IRI", "dos filas con el mismo IRI"),
        T(
            "Two rows of a table get the same IRI, so they would describe the same thing.",
            "Dos filas de una tabla reciben el mismo IRI, así que describirían la misma cosa.",
        ),
        DUPLICATE_SUBJECT_HINT,
        (DUPLICATE_SUBJECT,),
    ),
)
