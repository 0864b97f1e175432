//! The schedule parser CronJob validation uses: `github.com/robfig/cron/v3`'s
//! `ParseStandard` (five fields: minute, hour, day of month, month, day of week; or a
//! `@descriptor`; an optional `TZ=`/`CRON_TZ=` prefix), with its error texts, which upstream
//! returns verbatim as the field error's detail
//! (`spec.schedule: Invalid value: "bad": expected exactly 5 fields, found 1: [bad]`).
//!
//! Only whether a schedule parses (and why not) is reproduced; computing activation times is
//! the CronJob controller's business.

/// The bounds of one field and its names (`jan`, `sun`, …), as robfig's `bounds`.
struct Bounds {
    min: u32,
    max: u32,
    names: &'static [(&'static str, u32)],
}

const MINUTES: Bounds = Bounds {
    min: 0,
    max: 59,
    names: &[],
};
const HOURS: Bounds = Bounds {
    min: 0,
    max: 23,
    names: &[],
};
const DOM: Bounds = Bounds {
    min: 1,
    max: 31,
    names: &[],
};
const MONTHS: Bounds = Bounds {
    min: 1,
    max: 12,
    names: &[
        ("jan", 1),
        ("feb", 2),
        ("mar", 3),
        ("apr", 4),
        ("may", 5),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("oct", 10),
        ("nov", 11),
        ("dec", 12),
    ],
};
const DOW: Bounds = Bounds {
    min: 0,
    max: 6,
    names: &[
        ("sun", 0),
        ("mon", 1),
        ("tue", 2),
        ("wed", 3),
        ("thu", 4),
        ("fri", 5),
        ("sat", 6),
    ],
};

/// Go's `%s` of a `[]string`: `[a b c]`.
fn go_fields(fields: &[&str]) -> String {
    format!("[{}]", fields.join(" "))
}

/// Go's `strconv.Atoi`: optional sign, decimal digits, 64-bit range; robfig wraps its error
/// as `failed to parse int from EXPR: strconv.Atoi: parsing "EXPR": invalid syntax`.
fn atoi(expr: &str) -> Result<i64, String> {
    let digits = expr.strip_prefix(['+', '-']).unwrap_or(expr);
    let syntax = || {
        format!(
            "failed to parse int from {expr}: strconv.Atoi: parsing {}: invalid syntax",
            super::go_quote(expr)
        )
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(syntax());
    }
    expr.parse::<i64>().map_err(|_| {
        format!(
            "failed to parse int from {expr}: strconv.Atoi: parsing {}: value out of range",
            super::go_quote(expr)
        )
    })
}

/// `mustParseInt`: a non-negative integer.
fn must_parse_int(expr: &str) -> Result<u64, String> {
    let n = atoi(expr)?;
    if n < 0 {
        return Err(format!("negative number ({n}) not allowed: {expr}"));
    }
    Ok(n as u64)
}

/// `parseIntOrName`: a name of the field (case-insensitive) or an integer.
fn parse_int_or_name(expr: &str, names: &[(&str, u32)]) -> Result<u64, String> {
    let lower = expr.to_lowercase();
    if let Some((_, v)) = names.iter().find(|(n, _)| *n == lower) {
        return Ok(u64::from(*v));
    }
    must_parse_int(expr)
}

/// `getRange`: `*`, `?`, `N`, `N-M`, each optionally `/STEP`.
fn get_range(expr: &str, r: &Bounds) -> Result<(), String> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_and_high: Vec<&str> = range_and_step[0].split('-').collect();
    let single_digit = low_and_high.len() == 1;
    let (start, mut end);
    if low_and_high[0] == "*" || low_and_high[0] == "?" {
        start = u64::from(r.min);
        end = u64::from(r.max);
    } else {
        start = parse_int_or_name(low_and_high[0], r.names)?;
        end = match low_and_high.len() {
            1 => start,
            2 => parse_int_or_name(low_and_high[1], r.names)?,
            _ => return Err(format!("too many hyphens: {expr}")),
        };
    }
    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let step = must_parse_int(range_and_step[1])?;
            // "N/step" means "N-max/step".
            if single_digit {
                end = u64::from(r.max);
            }
            step
        }
        _ => return Err(format!("too many slashes: {expr}")),
    };
    if start < u64::from(r.min) {
        return Err(format!(
            "beginning of range ({start}) below minimum ({}): {expr}",
            r.min
        ));
    }
    if end > u64::from(r.max) {
        return Err(format!(
            "end of range ({end}) above maximum ({}): {expr}",
            r.max
        ));
    }
    if start > end {
        return Err(format!(
            "beginning of range ({start}) beyond end of range ({end}): {expr}"
        ));
    }
    if step == 0 {
        return Err(format!("step of range should be a positive number: {expr}"));
    }
    Ok(())
}

/// `getField`: a comma-separated list of ranges (empty items are skipped, as Go's
/// `strings.FieldsFunc` does).
fn get_field(field: &str, r: &Bounds) -> Result<(), String> {
    for expr in field.split(',').filter(|e| !e.is_empty()) {
        get_range(expr, r)?;
    }
    Ok(())
}

/// Go's `time.ParseDuration`, as far as its error texts go (`@every <duration>`).
fn parse_go_duration(s: &str) -> Result<(), String> {
    let err = || format!("time: invalid duration {}", super::go_quote(s));
    let mut rest = s.strip_prefix(['+', '-']).unwrap_or(s);
    if rest == "0" {
        return Ok(());
    }
    if rest.is_empty() {
        return Err(err());
    }
    while !rest.is_empty() {
        let num_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        let num = &rest[..num_len];
        if num.is_empty() || num == "." || num.matches('.').count() > 1 {
            return Err(err());
        }
        rest = &rest[num_len..];
        let unit_len = rest
            .bytes()
            .take_while(|b| !(b.is_ascii_digit() || *b == b'.'))
            .count();
        let unit = &rest[..unit_len];
        if unit.is_empty() {
            return Err(format!(
                "time: missing unit in duration {}",
                super::go_quote(s)
            ));
        }
        if !matches!(unit, "ns" | "us" | "µs" | "μs" | "ms" | "s" | "m" | "h") {
            return Err(format!(
                "time: unknown unit {} in duration {}",
                super::go_quote(unit),
                super::go_quote(s)
            ));
        }
        rest = &rest[unit_len..];
    }
    Ok(())
}

/// `parseDescriptor`: `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`,
/// `@hourly` and `@every <duration>`.
fn parse_descriptor(spec: &str) -> Result<(), String> {
    match spec {
        "@yearly" | "@annually" | "@monthly" | "@weekly" | "@daily" | "@midnight" | "@hourly" => {
            Ok(())
        }
        _ => match spec.strip_prefix("@every ") {
            Some(d) => {
                parse_go_duration(d).map_err(|e| format!("failed to parse duration {spec}: {e}"))
            }
            None => Err(format!("unrecognized descriptor: {spec}")),
        },
    }
}

/// `cron.ParseStandard`: `Ok` when the schedule parses, else robfig's error text.
pub fn parse_standard(spec: &str) -> Result<(), String> {
    if spec.is_empty() {
        return Err("empty spec string".to_string());
    }
    let mut spec = spec;
    if spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=") {
        let eq = spec.find('=').unwrap_or(0);
        // Go slices `spec[eq+1:i]` with `i = strings.Index(spec, " ")`; a schedule that is
        // only a time zone has no space, and upstream's slice panics (recovered as a 500).
        // Report it as the bad location it is instead.
        let i = spec.find(' ').unwrap_or(spec.len());
        let name = &spec[eq + 1..i.max(eq + 1)];
        if !time_zone_exists(name) {
            return Err(format!(
                "provided bad location {name}: unknown time zone {name}"
            ));
        }
        spec = spec[i..].trim();
    }
    if spec.starts_with('@') {
        return parse_descriptor(spec);
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!(
            "expected exactly 5 fields, found {}: {}",
            fields.len(),
            go_fields(&fields)
        ));
    }
    get_field(fields[0], &MINUTES)?;
    get_field(fields[1], &HOURS)?;
    get_field(fields[2], &DOM)?;
    get_field(fields[3], &MONTHS)?;
    get_field(fields[4], &DOW)?;
    Ok(())
}

/// Whether Go's `time.LoadLocation` knows the zone: `UTC`, the empty name, or an IANA zone in
/// the system's time zone database.
pub fn time_zone_exists(name: &str) -> bool {
    name.is_empty() || name == "UTC" || jiff::tz::db().get(name).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_schedules_and_descriptors_parse() {
        for s in [
            "*/5 * * * *",
            "0 0 1 jan mon",
            "0-30/10 8-17 * * MON-FRI",
            "@hourly",
            "@every 1h30m",
            "5 4 * * sun",
            "0 0 * * ?",
            "TZ=UTC 0 * * * *",
        ] {
            assert_eq!(parse_standard(s), Ok(()), "{s}");
        }
    }

    #[test]
    fn malformed_schedules_get_robfigs_messages() {
        let cases = [
            ("bad", "expected exactly 5 fields, found 1: [bad]"),
            ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
            ("60 * * * *", "end of range (60) above maximum (59): 60"),
            ("* * 0 * *", "beginning of range (0) below minimum (1): 0"),
            (
                "5-1 * * * *",
                "beginning of range (5) beyond end of range (1): 5-1",
            ),
            (
                "*/0 * * * *",
                "step of range should be a positive number: */0",
            ),
            ("1-2-3 * * * *", "too many hyphens: 1-2-3"),
            ("*/2/3 * * * *", "too many slashes: */2/3"),
            (
                "x * * * *",
                "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax",
            ),
            ("* * * * 7", "end of range (7) above maximum (6): 7"),
            ("@often", "unrecognized descriptor: @often"),
            (
                "@every 5x",
                "failed to parse duration @every 5x: time: unknown unit \"x\" in duration \"5x\"",
            ),
            ("", "empty spec string"),
        ];
        for (spec, msg) in cases {
            assert_eq!(parse_standard(spec), Err(msg.to_string()), "{spec}");
        }
    }
}
