//! Builder setters shared by the request types.

/// By-value `#[must_use]` setters for `Option<T>` fields: `name: T` generates
/// `fn name(self, value: impl Into<T>) -> Self`. The field must have the same name.
macro_rules! setters {
    ($( $(#[$doc:meta])* $field:ident : $ty:ty ),* $(,)?) => {
        $(
            $(#[$doc])*
            #[must_use]
            pub fn $field(mut self, value: impl ::core::convert::Into<$ty>) -> Self {
                self.$field = ::core::option::Option::Some(value.into());
                self
            }
        )*
    };
}

/// Setters for `Option<Vec<String>>` fields, taking any iterator of strings.
macro_rules! list_setters {
    ($( $(#[$doc:meta])* $field:ident ),* $(,)?) => {
        $(
            $(#[$doc])*
            #[must_use]
            pub fn $field<I>(mut self, values: I) -> Self
            where
                I: ::core::iter::IntoIterator,
                I::Item: ::core::convert::Into<::std::string::String>,
            {
                self.$field = ::core::option::Option::Some(
                    values.into_iter().map(::core::convert::Into::into).collect(),
                );
                self
            }
        )*
    };
}

/// Setters for `custom_data`/`bypass`-like fields: a JSON value sent as a JSON string.
/// `name` takes anything `Serialize`, `name_raw` takes the JSON text as is.
macro_rules! json_text_setters {
    ($( $(#[$doc:meta])* $field:ident / $raw:ident ),* $(,)?) => {
        $(
            $(#[$doc])*
            ///
            /// # Errors
            ///
            /// Fails if `value` cannot be serialized to JSON (a map with non-string keys).
            pub fn $field<T: ::serde::Serialize + ?::core::marker::Sized>(
                mut self,
                value: &T,
            ) -> ::core::result::Result<Self, ::serde_json::Error> {
                self.$field = ::core::option::Option::Some(::serde_json::to_string(value)?);
                ::core::result::Result::Ok(self)
            }

            /// Sets the same field from JSON text that is already serialized.
            #[must_use]
            pub fn $raw(mut self, json: impl ::core::convert::Into<::std::string::String>) -> Self {
                self.$field = ::core::option::Option::Some(json.into());
                self
            }
        )*
    };
}

/// The five `buyer_*` setters of a request type with a `buyer: Buyer` field.
macro_rules! buyer_setters {
    () => {
        $crate::model::setters::setters_in! { buyer:
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

/// Like `setters!`, for `Option<T>` fields of a nested struct field `$parent`.
macro_rules! setters_in {
    ($parent:ident: $( $(#[$doc:meta])* $field:ident : $ty:ty ),* $(,)?) => {
        $(
            $(#[$doc])*
            #[must_use]
            pub fn $field(mut self, value: impl ::core::convert::Into<$ty>) -> Self {
                self.$parent.$field = ::core::option::Option::Some(value.into());
                self
            }
        )*
    };
}

pub(crate) use {buyer_setters, json_text_setters, list_setters, setters, setters_in};
