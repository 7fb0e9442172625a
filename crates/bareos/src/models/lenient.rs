//! Lenient field readers: the director sends catalog numbers as strings (`"jobid":"1"`),
//! empty timestamps as `""`, and empty lists as `{}` instead of `[]`.

use serde::de::{self, DeserializeOwned, Deserializer};
use serde::Deserialize;
use serde_json::Value;

/// Reads an integer sent as a number, a numeric string, `""` or `null` (both `None`).
pub fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64))
            .map(Some)
            .ok_or_else(|| de::Error::custom(format!("not an unsigned integer: {n}"))),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => s
            .trim()
            .parse::<u64>()
            .map(Some)
            .map_err(|_| de::Error::custom(format!("not an unsigned integer: {s:?}"))),
        Value::Bool(b) => Ok(Some(u64::from(b))),
        other => Err(de::Error::custom(format!(
            "expected a number or a numeric string, got {other}"
        ))),
    }
}

/// Like [`opt_u64`] but the value must be present and not empty.
pub fn req_u64<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    opt_u64(d)?.ok_or_else(|| de::Error::custom("missing number"))
}

/// Reads a boolean sent as `true`/`false`, `0`/`1`, `"0"`/`"1"`, `"yes"`/`"no"`.
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(b)),
        Value::Number(n) => Ok(Some(n.as_f64().unwrap_or(0.0) != 0.0)),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "" => Ok(None),
            "1" | "yes" | "true" => Ok(Some(true)),
            "0" | "no" | "false" => Ok(Some(false)),
            _ => Err(de::Error::custom(format!("not a boolean: {s:?}"))),
        },
        other => Err(de::Error::custom(format!("not a boolean: {other}"))),
    }
}

/// Reads a string; numbers become their decimal text, `null` becomes `None`.
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::Bool(b) => Ok(Some(b.to_string())),
        other => Err(de::Error::custom(format!("not a string: {other}"))),
    }
}

/// Reads a list that the director sends as `{}` when it is empty.
pub fn list<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Vec<T>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items
            .into_iter()
            .map(|v| serde_json::from_value(v).map_err(de::Error::custom))
            .collect(),
        Value::Object(map) if map.is_empty() => Ok(Vec::new()),
        // A single object where a list is expected (`list volume=X`).
        Value::Object(map) => serde_json::from_value(Value::Object(map))
            .map(|one| vec![one])
            .map_err(de::Error::custom),
        other => Err(de::Error::custom(format!("expected a list, got {other}"))),
    }
}

/// Reads a list of strings that may also be one string.
pub fn strings<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(Vec::new()),
        Value::String(s) => Ok(vec![s]),
        Value::Array(items) => items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Ok(s),
                other => Ok(other.to_string()),
            })
            .collect(),
        Value::Object(map) if map.is_empty() => Ok(Vec::new()),
        other => Err(de::Error::custom(format!("expected strings, got {other}"))),
    }
}
