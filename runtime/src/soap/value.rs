//! Text values: the XSD built-in types, `xs:list`, and raw XML kept for
//! `xs:any` and `xs:anyType`.

use std::borrow::Cow;

use super::{
    read_simple, write_simple, Element, Name, XmlError, XmlRead, XmlReader, XmlWrite, XmlWriter,
};

/// A type whose XML form is a text value (element content or attribute):
/// built-in types, enumerations, lists.
pub trait SimpleValue: Sized {
    /// The lexical form written to XML.
    fn to_text(&self) -> Cow<'_, str>;
    /// Parses the lexical form; the error says what was expected.
    fn from_text(text: &str) -> Result<Self, String>;
}

impl SimpleValue for String {
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
    fn from_text(text: &str) -> Result<Self, String> {
        Ok(text.to_string())
    }
}

impl SimpleValue for bool {
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
    fn from_text(text: &str) -> Result<Self, String> {
        match text.trim() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err("expected a boolean (true, false, 1 or 0)".to_string()),
        }
    }
}

macro_rules! integer_values {
    ($($t:ty => $what:literal),* $(,)?) => {$(
        impl SimpleValue for $t {
            fn to_text(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
            fn from_text(text: &str) -> Result<Self, String> {
                let text = text.trim();
                text.strip_prefix('+')
                    .unwrap_or(text)
                    .parse()
                    .map_err(|_| format!("expected {}", $what))
            }
        }
    )*};
}

integer_values!(
    i8 => "a byte (-128..=127)",
    i16 => "a short (-32768..=32767)",
    i32 => "an int (32-bit signed integer)",
    i64 => "a long (64-bit signed integer)",
    u8 => "an unsignedByte (0..=255)",
    u16 => "an unsignedShort (0..=65535)",
    u32 => "an unsignedInt (32-bit unsigned integer)",
    u64 => "an unsignedLong (64-bit unsigned integer)",
    i128 => "an integer within the 128-bit signed range",
    u128 => "a non-negative integer within the 128-bit unsigned range",
);

macro_rules! float_values {
    ($($t:ty),*) => {$(
        impl SimpleValue for $t {
            fn to_text(&self) -> Cow<'_, str> {
                Cow::Owned(if self.is_nan() {
                    "NaN".to_string()
                } else if self.is_infinite() {
                    if *self > 0.0 { "INF" } else { "-INF" }.to_string()
                } else {
                    self.to_string()
                })
            }
            fn from_text(text: &str) -> Result<Self, String> {
                match text.trim() {
                    "INF" | "+INF" => Ok(<$t>::INFINITY),
                    "-INF" => Ok(<$t>::NEG_INFINITY),
                    "NaN" => Ok(<$t>::NAN),
                    t => t.parse().map_err(|_| "expected a floating-point number".to_string()),
                }
            }
        }
    )*};
}

float_values!(f32, f64);

macro_rules! simple_xml_for {
    ($($t:ty),*) => {$(
        impl $crate::soap::XmlWrite for $t {
            fn write_element(
                &self,
                w: &mut $crate::soap::XmlWriter,
                name: &$crate::soap::Name,
            ) -> Result<(), $crate::soap::XmlError> {
                $crate::soap::write_simple(w, name, self)
            }
        }
        impl $crate::soap::XmlRead for $t {
            fn read_element(
                r: &mut $crate::soap::XmlReader<'_>,
                el: &$crate::soap::Element,
            ) -> Result<Self, $crate::soap::XmlError> {
                $crate::soap::read_simple(r, el)
            }
        }
    )*};
}

pub(crate) use simple_xml_for;

simple_xml_for!(String, bool, i8, i16, i32, i64, u8, u16, u32, u64, f32, f64);

/// An `xs:list`: items separated by whitespace.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct XsList<T>(pub Vec<T>);

impl<T> From<Vec<T>> for XsList<T> {
    fn from(items: Vec<T>) -> Self {
        XsList(items)
    }
}

impl<T> std::ops::Deref for XsList<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T: SimpleValue> SimpleValue for XsList<T> {
    fn to_text(&self) -> Cow<'_, str> {
        let items: Vec<Cow<'_, str>> = self.0.iter().map(T::to_text).collect();
        Cow::Owned(items.join(" "))
    }
    fn from_text(text: &str) -> Result<Self, String> {
        text.split_ascii_whitespace()
            .map(T::from_text)
            .collect::<Result<Vec<_>, _>>()
            .map(XsList)
    }
}

impl<T: SimpleValue> XmlWrite for XsList<T> {
    fn write_element(&self, w: &mut XmlWriter, name: &Name) -> Result<(), XmlError> {
        write_simple(w, name, self)
    }
}

impl<T: SimpleValue> XmlRead for XsList<T> {
    fn read_element(r: &mut XmlReader<'_>, el: &Element) -> Result<Self, XmlError> {
        read_simple(r, el)
    }
}

/// The content of an element of type `xs:anyType`, kept as raw XML. It is
/// written back inside the element as is; namespace prefixes used inside
/// must be declared inside it (declarations of ancestors are not copied).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct AnyContent(pub String);

impl XmlWrite for AnyContent {
    fn write_element(&self, w: &mut XmlWriter, name: &Name) -> Result<(), XmlError> {
        w.start(name, &[])?;
        w.raw(&self.0)?;
        w.end(name)
    }
}

impl XmlRead for AnyContent {
    fn read_element(r: &mut XmlReader<'_>, el: &Element) -> Result<Self, XmlError> {
        r.read_inner_xml(el).map(AnyContent)
    }
}

/// An attribute matched by `xs:anyAttribute`: namespace (empty for none),
/// local name and value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct AnyAttribute {
    pub ns: String,
    pub local: String,
    pub value: String,
}

/// An element matched by `xs:any`, kept whole as raw XML (its own name
/// included; the name passed to `write_element` is ignored).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct AnyElement(pub String);

impl XmlWrite for AnyElement {
    fn write_element(&self, w: &mut XmlWriter, _name: &Name) -> Result<(), XmlError> {
        w.raw_element(&self.0)
    }
}

impl XmlRead for AnyElement {
    fn read_element(r: &mut XmlReader<'_>, el: &Element) -> Result<Self, XmlError> {
        r.read_outer_xml(el).map(AnyElement)
    }
}
