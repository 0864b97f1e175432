//! Resource quantities as upstream's `resource.Quantity`: parsing (`ParseQuantity`),
//! comparison, rounding and the canonical string form the API server always serialises
//! (`0.5` → `500m`, `1.5Gi` → `1536Mi`, `1000m` → `1`).
//!
//! Values are exact decimals `mantissa × 10^exp` (i128 mantissa), rounded up to nano
//! precision on parse like upstream; values beyond ±2^63 are capped for binary and
//! exponent formats as upstream does.

use std::cmp::Ordering;

/// The suffix family a quantity was written in; it decides the canonical suffix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `e3`, `E-6`.
    DecimalExponent,
    /// `Ki`, `Mi`, …, `Ei`.
    BinarySI,
    /// `n`, `u`, `m`, ``, `k`, `M`, …, `E`.
    DecimalSI,
}

impl Format {
    /// The name upstream gives the format (`"DecimalSI"`…).
    pub fn name(self) -> &'static str {
        match self {
            Format::DecimalExponent => "DecimalExponent",
            Format::BinarySI => "BinarySI",
            Format::DecimalSI => "DecimalSI",
        }
    }
}

/// Why a string is not a quantity; `Display` is upstream's error text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuantityError {
    /// `ErrFormatWrong`.
    Format,
    /// `ErrSuffix`.
    Suffix,
    /// `ErrNumeric` (also: more digits than tug can hold).
    Numeric,
}

impl std::fmt::Display for QuantityError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            QuantityError::Format => {
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
            }
            QuantityError::Suffix => "unable to parse quantity's suffix",
            QuantityError::Numeric => "unable to parse quantity's numeric value",
        })
    }
}

/// A parsed quantity: `mantissa × 10^exp` in `format`.
#[derive(Clone, Copy, Debug)]
pub struct Quantity {
    mantissa: i128,
    exp: i32,
    /// The format the quantity was written in.
    pub format: Format,
}

const NANO: i32 = -9;

fn pow10(n: u32) -> Option<i128> {
    10i128.checked_pow(n)
}

fn dec_suffix(s: &str) -> Option<i32> {
    Some(match s {
        "n" => -9,
        "u" => -6,
        "m" => -3,
        "" => 0,
        "k" => 3,
        "M" => 6,
        "G" => 9,
        "T" => 12,
        "P" => 15,
        "E" => 18,
        _ => return None,
    })
}

fn bin_suffix(s: &str) -> Option<u32> {
    Some(match s {
        "Ki" => 10,
        "Mi" => 20,
        "Gi" => 30,
        "Ti" => 40,
        "Pi" => 50,
        "Ei" => 60,
        _ => return None,
    })
}

/// `parseQuantityString`: sign, numerator, denominator and suffix.
fn split(s: &str) -> Result<(bool, String, String, String), QuantityError> {
    let b = s.as_bytes();
    let end = b.len();
    let mut pos = 0;
    let mut positive = true;
    if pos < end {
        match b[0] {
            b'-' => {
                positive = false;
                pos += 1;
            }
            b'+' => pos += 1,
            _ => {}
        }
    }
    while pos < end && b[pos] == b'0' {
        pos += 1;
    }
    if pos >= end {
        return Ok((positive, "0".into(), String::new(), String::new()));
    }
    let start = pos;
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    let mut num = s[start..pos].to_string();
    if num.is_empty() {
        num = "0".into();
    }
    let mut denom = String::new();
    if pos < end && b[pos] == b'.' {
        pos += 1;
        let dstart = pos;
        while pos < end && b[pos].is_ascii_digit() {
            pos += 1;
        }
        denom = s[dstart..pos].to_string();
    }
    let suffix_start = pos;
    while pos < end && b"eEinumkKMGTP".contains(&b[pos]) {
        pos += 1;
    }
    if pos < end && (b[pos] == b'-' || b[pos] == b'+') {
        pos += 1;
    }
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos < end {
        return Err(QuantityError::Format);
    }
    Ok((positive, num, denom, s[suffix_start..].to_string()))
}

/// Divides `m` by 10^k rounding away from zero.
fn div_round_up(m: i128, k: u32) -> i128 {
    let Some(d) = pow10(k) else {
        return if m == 0 { 0 } else { m.signum() };
    };
    let q = m / d;
    if m % d != 0 { q + m.signum() } else { q }
}

impl Quantity {
    /// `resource.ParseQuantity`.
    pub fn parse(s: &str) -> Result<Quantity, QuantityError> {
        if s.is_empty() {
            return Err(QuantityError::Format);
        }
        let (positive, num, denom, suffix) = split(s)?;
        enum Base {
            Ten(i32, Format),
            Two(u32),
        }
        let base = if let Some(e) = dec_suffix(&suffix) {
            Base::Ten(e, Format::DecimalSI)
        } else if let Some(e) = bin_suffix(&suffix) {
            Base::Two(e)
        } else if suffix.len() > 1 && (suffix.starts_with('e') || suffix.starts_with('E')) {
            let e: i64 = suffix[1..].parse().map_err(|_| QuantityError::Suffix)?;
            let e = i32::try_from(e).map_err(|_| QuantityError::Suffix)?;
            Base::Ten(e, Format::DecimalExponent)
        } else {
            return Err(QuantityError::Suffix);
        };
        let digits = format!("{num}{denom}");
        let digits = digits.trim_start_matches('0');
        let mut mantissa: i128 = if digits.is_empty() {
            0
        } else {
            digits.parse().map_err(|_| QuantityError::Numeric)?
        };
        let denom_len = i32::try_from(denom.len()).map_err(|_| QuantityError::Numeric)?;
        let (mut exp, format) = match base {
            Base::Ten(e, f) => (e - denom_len, f),
            Base::Two(e) => {
                let factor = 1i128 << e;
                mantissa = mantissa.checked_mul(factor).ok_or(QuantityError::Numeric)?;
                (-denom_len, Format::BinarySI)
            }
        };
        if !positive {
            mantissa = -mantissa;
        }
        if exp < NANO {
            mantissa = div_round_up(mantissa, (NANO - exp) as u32);
            exp = NANO;
        }
        let mut q = Quantity {
            mantissa,
            exp,
            format,
        };
        q.normalize();
        if matches!(format, Format::BinarySI | Format::DecimalExponent) {
            let max = Quantity {
                mantissa: i64::MAX as i128,
                exp: 0,
                format,
            };
            if q.cmp_value(&max) == Ordering::Greater {
                q = max;
            }
            let min = Quantity {
                mantissa: -(i64::MAX as i128),
                exp: 0,
                format,
            };
            if q.cmp_value(&min) == Ordering::Less {
                q = min;
            }
        }
        Ok(q)
    }

    /// Moves factors of ten from the mantissa into the exponent.
    fn normalize(&mut self) {
        if self.mantissa == 0 {
            self.exp = 0;
            return;
        }
        while self.mantissa % 10 == 0 {
            self.mantissa /= 10;
            self.exp += 1;
        }
    }

    /// Whether the quantity is zero.
    pub fn is_zero(&self) -> bool {
        self.mantissa == 0
    }

    /// -1, 0 or 1.
    pub fn signum(&self) -> i32 {
        self.mantissa.signum() as i32
    }

    fn digits(&self) -> i32 {
        let mut n = self.mantissa.unsigned_abs();
        let mut d = 0;
        while n > 0 {
            n /= 10;
            d += 1;
        }
        d
    }

    /// Numeric comparison (the format is ignored), as upstream's `Cmp`.
    pub fn cmp_value(&self, other: &Quantity) -> Ordering {
        let (a, b) = (self.signum(), other.signum());
        if a != b {
            return a.cmp(&b);
        }
        if a == 0 {
            return Ordering::Equal;
        }
        let mag = {
            let (oa, ob) = (self.digits() + self.exp, other.digits() + other.exp);
            if oa != ob {
                oa.cmp(&ob)
            } else {
                let e = self.exp.min(other.exp);
                let ma = self.mantissa.unsigned_abs() * 10u128.pow((self.exp - e) as u32);
                let mb = other.mantissa.unsigned_abs() * 10u128.pow((other.exp - e) as u32);
                ma.cmp(&mb)
            }
        };
        if a < 0 { mag.reverse() } else { mag }
    }

    /// The sum, in this quantity's format (`Quantity.Add`).
    pub fn add(&self, other: &Quantity) -> Quantity {
        let e = self.exp.min(other.exp);
        let scale = |q: &Quantity| {
            pow10((q.exp - e) as u32)
                .and_then(|p| q.mantissa.checked_mul(p))
                .unwrap_or(i128::MAX)
        };
        let mut q = Quantity {
            mantissa: scale(self).saturating_add(scale(other)),
            exp: e,
            format: self.format,
        };
        q.normalize();
        q
    }

    /// `RoundUp(scale)`: rounds away from zero to `10^scale` precision (`-3` is milli).
    pub fn round_up(&self, scale: i32) -> Quantity {
        if self.exp >= scale {
            return *self;
        }
        let mut q = Quantity {
            mantissa: div_round_up(self.mantissa, (scale - self.exp) as u32),
            exp: scale,
            format: self.format,
        };
        q.normalize();
        q
    }

    /// `MilliValue()`: the value ×1000, rounded up.
    pub fn milli_value(&self) -> i128 {
        self.scaled_value(-3)
    }

    /// `Value()`: the integer value, rounded up.
    pub fn value(&self) -> i128 {
        self.scaled_value(0)
    }

    fn scaled_value(&self, scale: i32) -> i128 {
        let r = self.round_up(scale);
        let up = (r.exp - scale) as u32;
        pow10(up)
            .and_then(|p| r.mantissa.checked_mul(p))
            .unwrap_or(if r.mantissa < 0 { i128::MIN } else { i128::MAX })
    }

    /// The canonical string upstream serialises (`CanonicalizeBytes`).
    pub fn canonical(&self) -> String {
        if self.is_zero() {
            return "0".to_string();
        }
        let mut format = self.format;
        // The integer value of a binary quantity, when it has one.
        let int_value = if self.exp < 0 {
            None
        } else {
            pow10(self.exp as u32).and_then(|p| self.mantissa.checked_mul(p))
        };
        if format == Format::BinarySI && int_value.is_none_or(|v| v.abs() < 1024) {
            // below 1Ki, or not an integer: upstream shows DecimalSI rather than round
            format = Format::DecimalSI;
        }
        match format {
            Format::BinarySI => {
                let mut v = int_value.unwrap_or(self.mantissa);
                let mut e = 0;
                while v.abs() >= 1024 && v % 1024 == 0 {
                    v /= 1024;
                    e += 10;
                }
                let suffix = match e {
                    10 => "Ki",
                    20 => "Mi",
                    30 => "Gi",
                    40 => "Ti",
                    50 => "Pi",
                    60 => "Ei",
                    _ => "",
                };
                format!("{v}{suffix}")
            }
            Format::DecimalSI | Format::DecimalExponent => {
                let mut m = self.mantissa;
                let mut e = self.exp;
                match e.rem_euclid(3) {
                    1 => {
                        m *= 10;
                        e -= 1;
                    }
                    2 => {
                        m *= 100;
                        e -= 2;
                    }
                    _ => {}
                }
                let suffix = if format == Format::DecimalExponent {
                    if e == 0 {
                        String::new()
                    } else {
                        format!("e{e}")
                    }
                } else {
                    match e {
                        -9 => "n",
                        -6 => "u",
                        -3 => "m",
                        3 => "k",
                        6 => "M",
                        9 => "G",
                        12 => "T",
                        15 => "P",
                        18 => "E",
                        _ => "",
                    }
                    .to_string()
                };
                format!("{m}{suffix}")
            }
        }
    }
}

/// Parses and canonicalises `s`; `None` when it is not a quantity.
pub fn canonicalize(s: &str) -> Option<String> {
    Quantity::parse(s).ok().map(|q| q.canonical())
}

/// `SetDefaults_ResourceList` for one value: rounds up to milli precision and returns the
/// canonical form; `None` when `s` is not a quantity.
pub fn canonicalize_milli(s: &str) -> Option<String> {
    Quantity::parse(s).ok().map(|q| q.round_up(-3).canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> String {
        canonicalize(s).expect(s)
    }

    #[test]
    fn canonical_forms_match_upstream_serialisation() {
        assert_eq!(c("0.5"), "500m");
        assert_eq!(c("1000m"), "1");
        assert_eq!(c("1.5Gi"), "1536Mi");
        assert_eq!(c("1024Ki"), "1Mi");
        assert_eq!(c("512"), "512");
        assert_eq!(c("100Mi"), "100Mi");
        assert_eq!(c("1e3"), "1e3");
        assert_eq!(c("1e4"), "10e3");
        assert_eq!(c("1k"), "1k");
        assert_eq!(c("0"), "0");
        assert_eq!(c("-1"), "-1");
        assert_eq!(c("0.1Ki"), "102400m");
        assert_eq!(c("100Ki"), "100Ki");
        assert_eq!(c("1500000n"), "1500u");
    }

    #[test]
    fn values_beyond_nano_precision_round_up() {
        assert_eq!(c("0.0000000001"), "1n");
    }

    #[test]
    fn resource_lists_round_up_to_milli() {
        assert_eq!(canonicalize_milli("0.0001").as_deref(), Some("1m"));
        assert_eq!(canonicalize_milli("250m").as_deref(), Some("250m"));
    }

    #[test]
    fn malformed_quantities_are_rejected_with_upstream_text() {
        assert_eq!(Quantity::parse("abc").unwrap_err(), QuantityError::Format);
        assert_eq!(Quantity::parse("1Qi").unwrap_err(), QuantityError::Format);
        assert_eq!(Quantity::parse("1Mb").unwrap_err(), QuantityError::Format);
        assert_eq!(Quantity::parse("1ki").unwrap_err(), QuantityError::Suffix);
    }

    #[test]
    fn comparisons_ignore_the_format() {
        let a = Quantity::parse("1Gi").expect("q");
        let b = Quantity::parse("1G").expect("q");
        assert_eq!(a.cmp_value(&b), Ordering::Greater);
        let m = Quantity::parse("1000m").expect("q");
        let one = Quantity::parse("1").expect("q");
        assert_eq!(m.cmp_value(&one), Ordering::Equal);
        assert_eq!(
            Quantity::parse("-1")
                .expect("q")
                .cmp_value(&Quantity::parse("0").expect("q")),
            Ordering::Less
        );
    }

    #[test]
    fn milli_values_round_up() {
        assert_eq!(Quantity::parse("0.5").expect("q").milli_value(), 500);
        assert_eq!(Quantity::parse("1n").expect("q").milli_value(), 1);
        assert_eq!(Quantity::parse("2Ki").expect("q").value(), 2048);
    }
}
