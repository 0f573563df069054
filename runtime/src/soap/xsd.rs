//! Typed values of the XSD built-in types that have no Rust primitive:
//! `dateTime`, `date`, `time` (chrono, the offset kept as written, or its
//! absence), `decimal` (`rust_decimal::Decimal`, exact), `integer` and its
//! unbounded relatives (`i128`/`u128`), `base64Binary`, `hexBinary` (bytes)
//! and `duration` (its components as written). Every parse failure or value
//! out of range is an `Err` naming what was expected, which
//! [`super::read_simple`] turns into [`super::XmlError::Value`] with the
//! element; nothing here panics on input.

use std::borrow::Cow;
use std::str::FromStr;

use base64::Engine as _;
pub use chrono;
use chrono::{FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
pub use rust_decimal;
use rust_decimal::Decimal;

use super::SimpleValue;

/// Splits a trailing timezone (`Z`, `+hh:mm`, `-hh:mm`) off `text`.
fn split_offset(text: &str) -> Result<(&str, Option<FixedOffset>), String> {
    if let Some(rest) = text.strip_suffix('Z') {
        return Ok((rest, Some(FixedOffset::east_opt(0).expect("zero offset"))));
    }
    let bytes = text.as_bytes();
    let n = bytes.len();
    if n >= 6 && matches!(bytes[n - 6], b'+' | b'-') && bytes[n - 3] == b':' {
        let (rest, tz) = text.split_at(n - 6);
        let hours: i32 = tz[1..3]
            .parse()
            .map_err(|_| "a timezone hh:mm".to_string())?;
        let minutes: i32 = tz[4..6]
            .parse()
            .map_err(|_| "a timezone hh:mm".to_string())?;
        if hours > 14 || minutes > 59 || (hours == 14 && minutes > 0) {
            return Err("a timezone between -14:00 and +14:00".to_string());
        }
        let seconds = (hours * 60 + minutes) * 60;
        let offset = if tz.starts_with('-') {
            FixedOffset::west_opt(seconds)
        } else {
            FixedOffset::east_opt(seconds)
        };
        return Ok((rest, offset));
    }
    Ok((text, None))
}

fn write_offset(out: &mut String, offset: Option<FixedOffset>) {
    if let Some(offset) = offset {
        let seconds = offset.local_minus_utc();
        if seconds == 0 {
            out.push('Z');
        } else {
            let sign = if seconds < 0 { '-' } else { '+' };
            let minutes = seconds.unsigned_abs() / 60;
            out.push_str(&format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60));
        }
    }
}

/// At most nine fraction digits (chrono keeps nanoseconds); more are an
/// error rather than silently cut.
fn check_fraction(text: &str) -> Result<(), String> {
    if let Some((_, fraction)) = text.rsplit_once('.') {
        if fraction.len() > 9 {
            return Err("at most nine digits of fractional seconds".to_string());
        }
    }
    Ok(())
}

/// `xs:dateTime`: a date and time of day, with the timezone offset as
/// written (`Some`) or without one (`None`: XSD's "local" time, which is
/// not UTC). `Z` is read as offset zero and written back as `Z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DateTime {
    pub value: NaiveDateTime,
    pub offset: Option<FixedOffset>,
}

impl DateTime {
    /// A date-time without a timezone.
    pub fn local(value: NaiveDateTime) -> Self {
        DateTime {
            value,
            offset: None,
        }
    }
    /// The instant, when the value has an offset.
    pub fn with_offset(&self) -> Option<chrono::DateTime<FixedOffset>> {
        let offset = self.offset?;
        self.value.and_local_timezone(offset).single()
    }
}

impl From<chrono::DateTime<FixedOffset>> for DateTime {
    fn from(value: chrono::DateTime<FixedOffset>) -> Self {
        DateTime {
            value: value.naive_local(),
            offset: Some(*value.offset()),
        }
    }
}

impl SimpleValue for DateTime {
    fn to_text(&self) -> Cow<'_, str> {
        let mut out = self.value.format("%Y-%m-%dT%H:%M:%S%.f").to_string();
        write_offset(&mut out, self.offset);
        Cow::Owned(out)
    }
    fn from_text(text: &str) -> Result<Self, String> {
        const WHAT: &str = "expected a dateTime (yyyy-mm-ddThh:mm:ss[.s][Z|±hh:mm])";
        let (rest, offset) = split_offset(text.trim()).map_err(|e| format!("{WHAT}: {e}"))?;
        check_fraction(rest).map_err(|e| format!("{WHAT}: {e}"))?;
        // 24:00:00 is the first instant of the next day (XSD 1.0 §3.2.7).
        if let Some((date, time)) = rest.split_once('T') {
            if time.trim_end_matches('0').trim_end_matches('.') == "24:00:" || time == "24:00:00" {
                let day =
                    NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| WHAT.to_string())?;
                let next = day.succ_opt().ok_or_else(|| WHAT.to_string())?;
                return Ok(DateTime {
                    value: next.and_time(NaiveTime::MIN),
                    offset,
                });
            }
        }
        let value = NaiveDateTime::parse_from_str(rest, "%Y-%m-%dT%H:%M:%S%.f")
            .map_err(|e| format!("{WHAT}: {e}"))?;
        Ok(DateTime { value, offset })
    }
}

/// `xs:date`, with the timezone offset as written or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Date {
    pub value: NaiveDate,
    pub offset: Option<FixedOffset>,
}

impl From<NaiveDate> for Date {
    fn from(value: NaiveDate) -> Self {
        Date {
            value,
            offset: None,
        }
    }
}

impl SimpleValue for Date {
    fn to_text(&self) -> Cow<'_, str> {
        let mut out = self.value.format("%Y-%m-%d").to_string();
        write_offset(&mut out, self.offset);
        Cow::Owned(out)
    }
    fn from_text(text: &str) -> Result<Self, String> {
        const WHAT: &str = "expected a date (yyyy-mm-dd[Z|±hh:mm])";
        let (rest, offset) = split_offset(text.trim()).map_err(|e| format!("{WHAT}: {e}"))?;
        let value =
            NaiveDate::parse_from_str(rest, "%Y-%m-%d").map_err(|e| format!("{WHAT}: {e}"))?;
        Ok(Date { value, offset })
    }
}

/// `xs:time`, with the timezone offset as written or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Time {
    pub value: NaiveTime,
    pub offset: Option<FixedOffset>,
}

impl From<NaiveTime> for Time {
    fn from(value: NaiveTime) -> Self {
        Time {
            value,
            offset: None,
        }
    }
}

impl SimpleValue for Time {
    fn to_text(&self) -> Cow<'_, str> {
        let mut out = self.value.format("%H:%M:%S%.f").to_string();
        write_offset(&mut out, self.offset);
        Cow::Owned(out)
    }
    fn from_text(text: &str) -> Result<Self, String> {
        const WHAT: &str = "expected a time (hh:mm:ss[.s][Z|±hh:mm])";
        let (rest, offset) = split_offset(text.trim()).map_err(|e| format!("{WHAT}: {e}"))?;
        check_fraction(rest).map_err(|e| format!("{WHAT}: {e}"))?;
        let value = if rest.trim_end_matches('0').trim_end_matches('.') == "24:00:" {
            NaiveTime::MIN
        } else {
            NaiveTime::parse_from_str(rest, "%H:%M:%S%.f").map_err(|e| format!("{WHAT}: {e}"))?
        };
        Ok(Time { value, offset })
    }
}

/// The lexical form of `xs:decimal`: an optional sign, digits, an optional
/// `.` and digits (at least one digit in all; no exponent).
fn decimal_lexical(text: &str) -> bool {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    (!int.is_empty() || !frac.is_empty())
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// `xs:decimal` as `rust_decimal::Decimal`: exact, scale kept (`1.50`
/// stays `1.50`); a value beyond its 28 digits is an error, never rounded.
impl SimpleValue for Decimal {
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
    fn from_text(text: &str) -> Result<Self, String> {
        const WHAT: &str = "expected a decimal within 28 significant digits";
        let text = text.trim();
        if !decimal_lexical(text) {
            return Err(WHAT.to_string());
        }
        let text = text.strip_prefix('+').unwrap_or(text);
        let text: Cow<'_, str> = match text.strip_prefix('-') {
            Some(rest) if rest.starts_with('.') => Cow::Owned(format!("-0{rest}")),
            _ if text.starts_with('.') => Cow::Owned(format!("0{text}")),
            _ if text.ends_with('.') => Cow::Borrowed(&text[..text.len() - 1]),
            _ => Cow::Borrowed(text),
        };
        Decimal::from_str_exact(&text).map_err(|_| WHAT.to_string())
    }
}

// `i128`/`u128` (`xs:integer` and its unbounded relatives) read and write
// like the other integers: see `integer_values!` in value.rs.

/// `xs:base64Binary`: the decoded bytes. Whitespace inside the text (line
/// breaks are common) is ignored on read.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Base64Binary(pub Vec<u8>);

impl From<Vec<u8>> for Base64Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Base64Binary(bytes)
    }
}

impl std::ops::Deref for Base64Binary {
    type Target = Vec<u8>;
    fn deref(&self) -> &Vec<u8> {
        &self.0
    }
}

impl SimpleValue for Base64Binary {
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Owned(base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
    fn from_text(text: &str) -> Result<Self, String> {
        let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        base64::engine::general_purpose::STANDARD
            .decode(compact)
            .map(Base64Binary)
            .map_err(|e| format!("expected base64: {e}"))
    }
}

/// `xs:hexBinary`: the decoded bytes, written in upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct HexBinary(pub Vec<u8>);

impl From<Vec<u8>> for HexBinary {
    fn from(bytes: Vec<u8>) -> Self {
        HexBinary(bytes)
    }
}

impl std::ops::Deref for HexBinary {
    type Target = Vec<u8>;
    fn deref(&self) -> &Vec<u8> {
        &self.0
    }
}

impl SimpleValue for HexBinary {
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Owned(self.0.iter().map(|b| format!("{b:02X}")).collect())
    }
    fn from_text(text: &str) -> Result<Self, String> {
        let text = text.trim().as_bytes();
        if !text.len().is_multiple_of(2) {
            return Err("expected hexBinary (an even number of hex digits)".to_string());
        }
        text.chunks(2)
            .map(|pair| {
                std::str::from_utf8(pair)
                    .ok()
                    .and_then(|s| u8::from_str_radix(s, 16).ok())
                    .ok_or_else(|| "expected hexBinary (hex digits)".to_string())
            })
            .collect::<Result<Vec<u8>, String>>()
            .map(HexBinary)
    }
}

/// `xs:duration` as its components, each kept as written (`P1D` and
/// `PT24H` stay distinct; absent components stay absent), seconds exact.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Duration {
    pub negative: bool,
    pub years: Option<u64>,
    pub months: Option<u64>,
    pub days: Option<u64>,
    pub hours: Option<u64>,
    pub minutes: Option<u64>,
    pub seconds: Option<Decimal>,
}

impl Duration {
    /// The length of a duration without years or months (which have no
    /// fixed length), when it is not negative and fits.
    pub fn to_std(&self) -> Option<std::time::Duration> {
        if self.negative || self.years.unwrap_or(0) != 0 || self.months.unwrap_or(0) != 0 {
            return None;
        }
        let whole = self
            .days
            .unwrap_or(0)
            .checked_mul(86_400)?
            .checked_add(self.hours.unwrap_or(0).checked_mul(3600)?)?
            .checked_add(self.minutes.unwrap_or(0).checked_mul(60)?)?;
        let seconds = self.seconds.unwrap_or_default();
        let secs =
            u64::try_from(seconds.trunc().mantissa() / 10i128.pow(seconds.trunc().scale())).ok()?;
        let nanos = (seconds.fract() * Decimal::from(1_000_000_000u32)).trunc();
        let nanos = u32::try_from(nanos.mantissa() / 10i128.pow(nanos.scale())).ok()?;
        Some(std::time::Duration::new(whole.checked_add(secs)?, nanos))
    }
}

impl From<std::time::Duration> for Duration {
    fn from(value: std::time::Duration) -> Self {
        let seconds = Decimal::from(value.as_secs() % 60)
            + Decimal::new(i64::from(value.subsec_nanos()), 9).normalize();
        Duration {
            negative: false,
            years: None,
            months: None,
            days: None,
            hours: None,
            minutes: Some(value.as_secs() / 60),
            seconds: Some(seconds),
        }
    }
}

impl SimpleValue for Duration {
    fn to_text(&self) -> Cow<'_, str> {
        let mut out = String::new();
        if self.negative {
            out.push('-');
        }
        out.push('P');
        for (value, unit) in [(self.years, 'Y'), (self.months, 'M'), (self.days, 'D')] {
            if let Some(v) = value {
                out.push_str(&format!("{v}{unit}"));
            }
        }
        if self.hours.is_some() || self.minutes.is_some() || self.seconds.is_some() {
            out.push('T');
            for (value, unit) in [(self.hours, 'H'), (self.minutes, 'M')] {
                if let Some(v) = value {
                    out.push_str(&format!("{v}{unit}"));
                }
            }
            if let Some(s) = self.seconds {
                out.push_str(&format!("{s}S"));
            }
        }
        if out.ends_with('P') {
            // No component at all: XSD needs one.
            out.push_str("T0S");
        }
        Cow::Owned(out)
    }
    fn from_text(text: &str) -> Result<Self, String> {
        const WHAT: &str = "expected a duration (PnYnMnDTnHnMnS)";
        let text = text.trim();
        let (negative, rest) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let rest = rest.strip_prefix('P').ok_or(WHAT)?;
        let (date, time) = match rest.split_once('T') {
            Some((_, "")) => return Err(WHAT.to_string()),
            Some((date, time)) => (date, Some(time)),
            None => (rest, None),
        };
        let mut out = Duration {
            negative,
            ..Duration::default()
        };
        let mut any = false;
        let mut take = |part: &str, units: &[char]| -> Result<Vec<Option<String>>, String> {
            let mut values = vec![None; units.len()];
            let mut number = String::new();
            let mut next = 0;
            for c in part.chars() {
                if c.is_ascii_digit() || c == '.' {
                    number.push(c);
                    continue;
                }
                let at = units[next..].iter().position(|u| *u == c).ok_or(WHAT)? + next;
                if number.is_empty() {
                    return Err(WHAT.to_string());
                }
                values[at] = Some(std::mem::take(&mut number));
                next = at + 1;
                any = true;
            }
            if !number.is_empty() {
                return Err(WHAT.to_string());
            }
            Ok(values)
        };
        let whole = |v: &Option<String>| -> Result<Option<u64>, String> {
            v.as_deref()
                .map(|s| {
                    u64::from_str(s)
                        .map_err(|_| format!("{WHAT}: {s} is not a whole number in range"))
                })
                .transpose()
        };
        let d = take(date, &['Y', 'M', 'D'])?;
        out.years = whole(&d[0])?;
        out.months = whole(&d[1])?;
        out.days = whole(&d[2])?;
        if let Some(time) = time {
            let t = take(time, &['H', 'M', 'S'])?;
            out.hours = whole(&t[0])?;
            out.minutes = whole(&t[1])?;
            out.seconds = t[2]
                .as_deref()
                .map(|s| {
                    if s.starts_with('.') || s.ends_with('.') {
                        return Err(WHAT.to_string());
                    }
                    Decimal::from_text(s)
                })
                .transpose()?;
        }
        if !any {
            return Err(WHAT.to_string());
        }
        Ok(out)
    }
}

macro_rules! display_as_text {
    ($($t:ty),*) => {$(
        /// The XSD lexical form, as written to XML.
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.to_text())
            }
        }
        impl FromStr for $t {
            type Err = String;
            fn from_str(text: &str) -> Result<Self, String> {
                <$t as SimpleValue>::from_text(text)
            }
        }
    )*};
}

display_as_text!(DateTime, Date, Time, Base64Binary, HexBinary, Duration);

super::value::simple_xml_for!(
    DateTime,
    Date,
    Time,
    Decimal,
    i128,
    u128,
    Base64Binary,
    HexBinary,
    Duration
);
