"""Catalogue entries of the SHACL stage, one per SHACL Core constraint component.

SHACL findings take their message from the shape (``sh:message`` in Spanish and English,
chosen by the pipeline); the catalogue adds what a shape cannot say in general: the kind
of problem, and how to fix it in the table the value came from.
"""

from __future__ import annotations

from .core import Kind, Text

__all__ = ["KINDS"]

T = Text

_COMPONENTS: tuple[tuple[str, Text, Text, Text], ...] = (
    (
        "Class",
        T("link to something of the wrong kind", "enlace a algo del tipo equivocado"),
        T(
            "The value must be a link to a thing of a given class (for example a network, or an administrative area), "
            "and the linked thing is not of that class or is not in the data.",
            "El valor debe ser un enlace a algo de una clase dada (por ejemplo una red, o un área administrativa), "
            "y lo enlazado no es de esa clase o no está en los datos.",
        ),
        T(
            "link to an existing row of the right table (check the identifier)",
            "enlace a una fila existente de la tabla correcta (revise el identificador)",
        ),
    ),
    (
        "Datatype",
        T("value of the wrong datatype", "valor del tipo de dato equivocado"),
        T(
            "The value does not have the RDF datatype the shape requires.",
            "El valor no tiene el tipo de dato RDF que pide la forma.",
        ),
        T("write the value in the form the column requires", "escriba el valor en la forma que pide la columna"),
    ),
    (
        "NodeKind",
        T("value of the wrong kind", "valor del tipo equivocado"),
        T(
            "The value must be an IRI (a link) or a literal (a text or number), and it is the other.",
            "El valor debe ser un IRI (un enlace) o un literal (un texto o número), y es lo otro.",
        ),
        T("check how the column is mapped", "revise cómo se mapea la columna"),
    ),
    (
        "MinCount",
        T("required value missing", "falta un valor obligatorio"),
        T(
            "A value the shapes require is missing: the cell it comes from is empty.",
            "Falta un valor que las formas exigen: la celda de la que sale está vacía.",
        ),
        T("fill in the cell(s) of this row", "rellene la(s) celda(s) de esta fila"),
    ),
    (
        "MaxCount",
        T("too many values", "demasiados valores"),
        T(
            "There are more values than the shapes allow (for example two areas for one organisation).",
            "Hay más valores de los que permiten las formas (por ejemplo, dos áreas para una organización).",
        ),
        T("keep only the allowed number of values", "deje solo el número de valores permitido"),
    ),
    (
        "MinExclusive",
        T("value too small", "valor demasiado pequeño"),
        T("The value must be greater than a minimum.", "El valor debe ser mayor que un mínimo."),
        T("write a larger value", "escriba un valor mayor"),
    ),
    (
        "MinInclusive",
        T("value too small", "valor demasiado pequeño"),
        T(
            "The value is below the minimum the shapes allow.",
            "El valor es menor que el mínimo que permiten las formas.",
        ),
        T("write a value within the allowed range", "escriba un valor dentro del rango permitido"),
    ),
    (
        "MaxExclusive",
        T("value too large", "valor demasiado grande"),
        T("The value must be less than a maximum.", "El valor debe ser menor que un máximo."),
        T("write a smaller value", "escriba un valor menor"),
    ),
    (
        "MaxInclusive",
        T("value too large", "valor demasiado grande"),
        T(
            "The value is above the maximum the shapes allow.",
            "El valor es mayor que el máximo que permiten las formas.",
        ),
        T("write a value within the allowed range", "escriba un valor dentro del rango permitido"),
    ),
    (
        "MinLength",
        T("text too short", "texto demasiado corto"),
        T("The text is shorter than the shapes allow.", "El texto es más corto de lo que permiten las formas."),
        T("complete the text", "complete el texto"),
    ),
    (
        "MaxLength",
        T("text too long", "texto demasiado largo"),
        T("The text is longer than the shapes allow.", "El texto es más largo de lo que permiten las formas."),
        T("shorten the text", "acorte el texto"),
    ),
    (
        "Pattern",
        T("value of the wrong form", "valor con forma incorrecta"),
        T(
            "The value (or the value made from the row's cells) does not have the form the shapes require.",
            "El valor (o el valor formado con las celdas de la fila) no tiene la forma que exigen las formas.",
        ),
        T(
            "correct the value(s) so they have the expected form",
            "corrija el valor o los valores para que tengan la forma esperada",
        ),
    ),
    (
        "LanguageIn",
        T("text in a language not allowed", "texto en un idioma no permitido"),
        T(
            "The language tag of the text is not one of those allowed.",
            "La etiqueta de idioma del texto no es una de las permitidas.",
        ),
        T("give the text in one of the allowed languages", "dé el texto en uno de los idiomas permitidos"),
    ),
    (
        "UniqueLang",
        T("two texts in the same language", "dos textos en el mismo idioma"),
        T(
            "There are two values in the same language where only one is allowed.",
            "Hay dos valores en el mismo idioma donde solo se permite uno.",
        ),
        T("keep one text per language", "deje un solo texto por idioma"),
    ),
    (
        "Equals",
        T("values that must be equal differ", "valores que deben ser iguales difieren"),
        T("Two values that must be equal are not.", "Dos valores que deben ser iguales no lo son."),
        T("make both values equal", "haga que ambos valores sean iguales"),
    ),
    (
        "Disjoint",
        T("values that must differ are equal", "valores que deben diferir son iguales"),
        T("Two values that must differ are equal.", "Dos valores que deben ser distintos son iguales."),
        T("make the values differ", "haga que los valores sean distintos"),
    ),
    (
        "LessThan",
        T("value not less than another", "valor no menor que otro"),
        T(
            "A value must be less than another value of the same row.",
            "Un valor debe ser menor que otro valor de la misma fila.",
        ),
        T("check both values of the row", "revise ambos valores de la fila"),
    ),
    (
        "LessThanOrEquals",
        T("value greater than another", "valor mayor que otro"),
        T(
            "A value must not be greater than another value of the same row (for example, women members cannot "
            "outnumber all members).",
            "Un valor no puede ser mayor que otro valor de la misma fila (por ejemplo, las mujeres miembros no pueden "
            "ser más que todos los miembros).",
        ),
        T(
            "check both numbers of the row: the first cannot be larger than the second",
            "revise los dos números de la fila: el primero no puede ser mayor que el segundo",
        ),
    ),
    (
        "Not",
        T("value matches a forbidden shape", "valor que cumple una forma prohibida"),
        T("The value meets a shape it must not meet.", "El valor cumple una forma que no debe cumplir."),
        T("correct the value", "corrija el valor"),
    ),
    (
        "And",
        T("value fails a combined rule", "valor que no cumple una regla combinada"),
        T("The value does not meet all of several shapes.", "El valor no cumple todas las formas exigidas."),
        T("correct the value", "corrija el valor"),
    ),
    (
        "Or",
        T("value fails every alternative", "valor que no cumple ninguna alternativa"),
        T("The value meets none of the alternative shapes.", "El valor no cumple ninguna de las formas alternativas."),
        T(
            "correct the value so it meets one of the alternatives",
            "corrija el valor para que cumpla una de las alternativas",
        ),
    ),
    (
        "Xone",
        T("value fails an exclusive choice", "valor que no cumple una elección exclusiva"),
        T(
            "The value must meet exactly one of several shapes.",
            "El valor debe cumplir exactamente una de varias formas.",
        ),
        T("correct the value", "corrija el valor"),
    ),
    (
        "Node",
        T("linked value is not valid", "el valor enlazado no es válido"),
        T(
            "The value (often a code or a linked thing) does not meet the shape it must meet, for example a code "
            "that is not in the right code list.",
            "El valor (a menudo un código o algo enlazado) no cumple la forma que debe cumplir; por ejemplo, un "
            "código que no es de la lista correcta.",
        ),
        T("check the value against what the column expects", "compare el valor con lo que espera la columna"),
    ),
    (
        "Property",
        T("property rule not met", "regla de propiedad no cumplida"),
        T("A property of the thing does not meet its shape.", "Una propiedad de la cosa no cumple su forma."),
        T("correct the value", "corrija el valor"),
    ),
    (
        "QualifiedMinCount",
        T("too few values of a kind", "pocos valores de un tipo"),
        T(
            "There are fewer values of a given kind than required.",
            "Hay menos valores de un tipo dado de los exigidos.",
        ),
        T("add the missing values", "añada los valores que faltan"),
    ),
    (
        "QualifiedMaxCount",
        T("too many values of a kind", "demasiados valores de un tipo"),
        T("There are more values of a given kind than allowed.", "Hay más valores de un tipo dado de los permitidos."),
        T("remove the extra values", "quite los valores que sobran"),
    ),
    (
        "Closed",
        T("property not allowed", "propiedad no permitida"),
        T("The thing has a property its shape does not allow.", "La cosa tiene una propiedad que su forma no permite."),
        T("remove the mapping of that property", "quite el mapping de esa propiedad"),
    ),
    (
        "HasValue",
        T("required value missing", "falta un valor exigido"),
        T("A specific value the shapes require is missing.", "Falta un valor concreto que exigen las formas."),
        T("add the required value", "añada el valor exigido"),
    ),
    (
        "In",
        T("value not in the allowed list", "valor que no está en la lista permitida"),
        T("The value is not one of the values the shapes allow.", "El valor no es uno de los que permiten las formas."),
        T("use one of the allowed values", "use uno de los valores permitidos"),
    ),
    (
        "SPARQL",
        T("rule of the shapes not met", "regla de las formas no cumplida"),
        T(
            "The data breaks a rule the shapes state as a SPARQL query.",
            "Los datos no cumplen una regla que las formas expresan como consulta SPARQL.",
        ),
        T("read the message: it says what the rule needs", "lea el mensaje: dice qué exige la regla"),
    ),
)

KINDS: tuple[Kind, ...] = tuple(
    Kind(f"sh:{name}ConstraintComponent", "shacl", title, explanation, fix)
    for name, title, explanation, fix in _COMPONENTS
)
