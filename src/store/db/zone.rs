//! The clinic's IANA time zone: this machine's by default, a check that a zone given to
//! `db migrate --time-zone` is a real one, and the clinic's wall-clock time now.

/// This machine's IANA zone (`TZ`, `/etc/timezone`, the `/etc/localtime` link), else UTC.
pub fn machine_time_zone() -> String {
    let from_tz = std::env::var("TZ")
        .ok()
        .map(|tz| tz.trim_start_matches(':').trim().to_string())
        .filter(|tz| check_time_zone(tz).is_ok());
    let from_file = || {
        std::fs::read_to_string("/etc/timezone")
            .ok()
            .map(|t| t.trim().to_string())
            .filter(|tz| check_time_zone(tz).is_ok())
    };
    let from_link = || {
        std::fs::read_link("/etc/localtime")
            .ok()
            .and_then(|target| {
                let text = target.to_string_lossy().into_owned();
                text.split_once("zoneinfo/")
                    .map(|(_, zone)| zone.to_string())
                    .filter(|tz| is_zone_name(tz))
            })
    };
    from_tz
        .or_else(from_file)
        .or_else(from_link)
        .unwrap_or_else(|| "UTC".to_string())
}

/// A zone is accepted when the IANA time-zone database (built in) knows it.
pub fn check_time_zone(zone: &str) -> Result<(), String> {
    if !is_zone_name(zone) || zone.parse::<chrono_tz::Tz>().is_err() {
        return Err(format!(
            "--time-zone {zone} is not an IANA time zone name such as Europe/Berlin"
        ));
    }
    Ok(())
}

/// The wall-clock time now in `zone`; the machine's own when the zone is unknown.
pub fn now_in(zone: Option<&str>) -> chrono::NaiveDateTime {
    match zone.and_then(|z| z.parse::<chrono_tz::Tz>().ok()) {
        Some(tz) => chrono::Utc::now().with_timezone(&tz).naive_local(),
        None => chrono::Local::now().naive_local(),
    }
}

fn is_zone_name(zone: &str) -> bool {
    !zone.is_empty()
        && !zone.contains("..")
        && !zone.starts_with('/')
        && zone
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '+' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_names_are_checked_before_the_database() {
        assert!(check_time_zone("../etc/passwd").is_err());
        assert!(check_time_zone("").is_err());
        assert!(check_time_zone("Europe Berlin").is_err());
        assert!(is_zone_name("America/Argentina/Buenos_Aires"));
        assert!(check_time_zone("Nowhere/City").is_err());
        assert!(check_time_zone("Pacific/Kiritimati").is_ok());
        assert!(check_time_zone(&machine_time_zone()).is_ok());
    }
}
