//! Builder setters shared by the request types.
//!
//! Each macro takes the fields it sets, optionally after `in optional;` (or any path of
//! fields, `in optional.buyer;`) when they live in a nested part of the request: the
//! private, flattened struct that holds a request's options, so its constructor sets them
//! all with one `Default` instead of a `None` per field. The macros go field by field
//! (recursively), since the path repeats once per field; a comma is added at the end so
//! every field ends in one.

/// By-value `#[must_use]` setters for `Option<T>` fields: `name: T` generates
/// `fn name(self, value: impl Into<T>) -> Self`. The field must have the same name.
macro_rules! setters {
    (in $($parent:ident).+; $($fields:tt)*) => {
        $crate::model::setters::setters!(@[$($parent)+] $($fields)*,);
    };
    (@[$($parent:ident)*] $(#[$doc:meta])* $field:ident : $ty:ty, $($rest:tt)*) => {
        $(#[$doc])*
        #[must_use]
        pub fn $field(mut self, value: impl ::core::convert::Into<$ty>) -> Self {
            self.$($parent.)*$field = ::core::option::Option::Some(value.into());
            self
        }
        $crate::model::setters::setters!(@[$($parent)*] $($rest)*);
    };
    (@[$($parent:ident)*] $(,)?) => {};
    ($(#[$doc:meta])* $field:ident $($rest:tt)*) => {
        $crate::model::setters::setters!(@[] $(#[$doc])* $field $($rest)*,);
    };
}

/// Setters for `Option<Vec<String>>` fields, taking any iterator of strings.
macro_rules! list_setters {
    (in $($parent:ident).+; $($fields:tt)*) => {
        $crate::model::setters::list_setters!(@[$($parent)+] $($fields)*,);
    };
    (@[$($parent:ident)*] $(#[$doc:meta])* $field:ident, $($rest:tt)*) => {
        $(#[$doc])*
        #[must_use]
        pub fn $field<I>(mut self, values: I) -> Self
        where
            I: ::core::iter::IntoIterator,
            I::Item: ::core::convert::Into<::std::string::String>,
        {
            self.$($parent.)*$field = ::core::option::Option::Some(
                values.into_iter().map(::core::convert::Into::into).collect(),
            );
            self
        }
        $crate::model::setters::list_setters!(@[$($parent)*] $($rest)*);
    };
    (@[$($parent:ident)*] $(,)?) => {};
    ($(#[$doc:meta])* $field:ident $($rest:tt)*) => {
        $crate::model::setters::list_setters!(@[] $(#[$doc])* $field $($rest)*,);
    };
}

/// Setters for `custom_data`/`bypass`-like fields: a JSON value sent as a JSON string.
/// `name` takes anything `Serialize`, `name_raw` takes the JSON text as is.
macro_rules! json_text_setters {
    (in $($parent:ident).+; $($fields:tt)*) => {
        $crate::model::setters::json_text_setters!(@[$($parent)+] $($fields)*,);
    };
    (@[$($parent:ident)*] $(#[$doc:meta])* $field:ident / $raw:ident, $($rest:tt)*) => {
        $(#[$doc])*
        ///
        /// # Errors
        ///
        /// Fails if `value` cannot be serialized to JSON (a map with non-string keys).
        pub fn $field<T: ::serde::Serialize + ?::core::marker::Sized>(
            mut self,
            value: &T,
        ) -> ::core::result::Result<Self, ::serde_json::Error> {
            self.$($parent.)*$field = ::core::option::Option::Some(::serde_json::to_string(value)?);
            ::core::result::Result::Ok(self)
        }

        /// Sets the same field from JSON text that is already serialized.
        #[must_use]
        pub fn $raw(mut self, json: impl ::core::convert::Into<::std::string::String>) -> Self {
            self.$($parent.)*$field = ::core::option::Option::Some(json.into());
            self
        }
        $crate::model::setters::json_text_setters!(@[$($parent)*] $($rest)*);
    };
    (@[$($parent:ident)*] $(,)?) => {};
    ($(#[$doc:meta])* $field:ident $($rest:tt)*) => {
        $crate::model::setters::json_text_setters!(@[] $(#[$doc])* $field $($rest)*,);
    };
}

/// The five `buyer_*` setters of a request type with a `buyer: Buyer` field, or with one
/// inside a nested part: `buyer_setters!(optional)`.
macro_rules! buyer_setters {
    ($($parent:ident).*) => {
        $crate::model::setters::setters! { in $($parent.)* buyer;
            /// Buyer's name.
            buyer_name: String,
            /// Buyer's email address.
            buyer_email: String,
            /// Buyer's phone number.
            buyer_tel: String,
            /// Buyer's address.
            buyer_addr: String,
            /// Buyer's postcode.
            buyer_postcode: String,
        }
    };
}

pub(crate) use {buyer_setters, json_text_setters, list_setters, setters};
