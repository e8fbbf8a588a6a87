//! A calendar date written `YYYY-MM-DD` in procedure files.

use std::fmt;

use chrono::NaiveDate;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date, written `YYYY-MM-DD` (e.g. `2025-11-20`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl Date {
    /// Parses `YYYY-MM-DD`, refusing anything else (no times, no other orders).
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        if text.len() != 10 {
            return None;
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().map(Date)
    }

    /// The date as residents read it: `20/11/2025`.
    pub fn vietnamese(&self) -> String {
        self.0.format("%d/%m/%Y").to_string()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{text}` không phải ngày hợp lệ; viết theo dạng NĂM-THÁNG-NGÀY, ví dụ 2025-11-20 \
                 / `{text}` is not a valid date; write it as YYYY-MM-DD, e.g. 2025-11-20"
            ))
        })
    }
}

impl JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "A calendar date written YYYY-MM-DD, e.g. 2025-11-20."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_iso_dates() {
        assert_eq!(Date::parse("2025-11-20").unwrap().to_string(), "2025-11-20");
        assert!(Date::parse("2025-13-01").is_none());
        assert!(Date::parse("2025-02-30").is_none());
        assert!(Date::parse("20/11/2025").is_none());
        assert!(Date::parse("2025-1-2").is_none());
    }

    #[test]
    fn shows_vietnamese_order() {
        assert_eq!(
            Date::parse("2025-07-01").unwrap().vietnamese(),
            "01/07/2025"
        );
    }
}
