//! Open string enums: one declarative macro instead of ~60 lines of hand-expanded serde,
//! `Display`, `FromStr` and conversions per enum in generated code.
//!
//! Generated code writes
//!
//! ```ignore
//! runtime::open_enum! {
//!     /// Docs of the enum.
//!     pub enum Color {
//!         Unknown(String),
//!         Red = "red",
//!         LightBlue = "light-blue",
//!     }
//! }
//! ```
//!
//! (the body is a valid enum, so the generator can format it) and gets the enum (every
//! known value, documented with its wire value, plus `Unknown(String)`, which keeps an unseen value
//! verbatim so it round-trips), `KNOWN`, `as_str`, `is_unknown`, `Display`, `FromStr`,
//! `From<&str>`, `From<String>`, and serde both ways as the bare string.

use serde::Deserializer;
use std::borrow::Cow;

/// Reads a string (borrowed when the input allows): the shared half of every open enum's
/// `Deserialize`.
pub fn deserialize_str<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Cow<'de, str>, D::Error> {
    <Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)
}

/// Declares an open string enum; see the module docs. The catch-all variant comes first in
/// the call and last in the enum (so it sorts after every known value). Generated code reaches it as
/// `runtime::open_enum!`.
#[doc(hidden)]
#[macro_export]
macro_rules! __open_enum {
    (
        $(#[$attr:meta])*
        $vis:vis enum $name:ident {
            $unknown:ident(String),
            $( $(#[$vattr:meta])* $variant:ident = $wire:literal, )*
        }
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vattr])* #[doc = concat!("`", $wire, "`")] $variant, )*
            /// A value this version of the SDK does not know yet; kept verbatim so it round-trips.
            $unknown(::std::string::String),
        }

        impl $name {
            /// Every value known when this SDK was generated.
            pub const KNOWN: &'static [Self] = &[$(Self::$variant),*];

            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::$unknown(value) => value.as_str(),
                }
            }

            /// True for a value this SDK version does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::$unknown(_))
            }
        }

        impl $crate::__private::Placeholder for $name {
            /// The first known value (or an empty unknown one).
            fn placeholder() -> Self {
                Self::KNOWN
                    .first()
                    .cloned()
                    .unwrap_or_else(|| Self::$unknown(::std::string::String::new()))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            // Fully qualified: a variant named `Err` would make `Self::Err` ambiguous.
            fn from_str(
                value: &str,
            ) -> ::std::result::Result<Self, <Self as ::std::str::FromStr>::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::$unknown(other.to_owned()),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match Self::from(value.as_str()) {
                    Self::$unknown(_) => Self::$unknown(value),
                    known => known,
                }
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::__private::open_enum_str(deserializer).map(|value| match value {
                    ::std::borrow::Cow::Borrowed(text) => Self::from(text),
                    ::std::borrow::Cow::Owned(text) => Self::from(text),
                })
            }
        }
    };
}

#[cfg(test)]
// The macro writes `pub` items, as a generated crate's types are.
#[allow(unreachable_pub)]
mod tests {
    crate::__open_enum! {
        /// A test enum.
        pub enum Color {
            Unknown(String),
            Red = "red",
            LightBlue = "light-blue",
        }
    }

    #[test]
    fn round_trips_known_and_unknown_values() {
        assert_eq!(Color::KNOWN, &[Color::Red, Color::LightBlue]);
        assert_eq!(Color::from("light-blue"), Color::LightBlue);
        assert_eq!("red".parse::<Color>(), Ok(Color::Red));
        assert_eq!(
            Color::from("green".to_owned()),
            Color::Unknown("green".into())
        );
        assert!(Color::Unknown("x".into()).is_unknown());
        assert_eq!(Color::LightBlue.to_string(), "light-blue");
        let json = serde_json::to_string(&[Color::Red, Color::Unknown("teal".into())]).unwrap();
        assert_eq!(json, r#"["red","teal"]"#);
        let back: Vec<Color> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, [Color::Red, Color::Unknown("teal".into())]);
        let escaped: Color = serde_json::from_str(r#""light\u002dblue""#).unwrap();
        assert_eq!(escaped, Color::LightBlue);
    }

    // Values named like the associated items and prelude names the impls use.
    crate::__open_enum! {
        pub enum Outcome {
            Other(String),
            Ok = "Ok",
            Err = "Err",
            Error = "Error",
            Value = "Value",
            Some = "Some",
            None = "None",
            Output = "Output",
        }
    }

    #[test]
    fn values_named_like_trait_items_compile_and_round_trip() {
        assert_eq!("Err".parse::<Outcome>(), Ok(Outcome::Err));
        assert_eq!(Outcome::Ok.as_str(), "Ok");
        assert!(Outcome::from("x").is_unknown());
        assert_eq!(Outcome::KNOWN.len(), 7);
        let json = serde_json::to_string(&[Outcome::Error, Outcome::Value]).unwrap();
        assert_eq!(json, r#"["Error","Value"]"#);
    }
}
