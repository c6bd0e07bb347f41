//! The clinic's IANA time zone: this machine's by default, and a check that a zone given to
//! `db migrate --time-zone` is one the system's time-zone database knows.

use std::path::Path;

const ZONEINFO: &str = "/usr/share/zoneinfo";

/// This machine's IANA zone (`TZ`, `/etc/timezone`, the `/etc/localtime` link), else UTC.
pub fn machine_time_zone() -> String {
    let from_tz = std::env::var("TZ")
        .ok()
        .map(|tz| tz.trim_start_matches(':').trim().to_string())
        .filter(|tz| is_zone_name(tz));
    let from_file = || {
        std::fs::read_to_string("/etc/timezone")
            .ok()
            .map(|t| t.trim().to_string())
            .filter(|tz| is_zone_name(tz))
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

/// A zone is accepted when its name is well formed and, where the system has a time-zone
/// database, a zone file of that name exists.
pub fn check_time_zone(zone: &str) -> Result<(), String> {
    if !is_zone_name(zone) {
        return Err(format!(
            "--time-zone {zone} is not an IANA time zone name such as Europe/Berlin"
        ));
    }
    let database = Path::new(ZONEINFO);
    if database.is_dir() && !database.join(zone).is_file() {
        return Err(format!(
            "--time-zone {zone} is not in this computer's time-zone database ({ZONEINFO})"
        ));
    }
    Ok(())
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
        assert!(is_zone_name(&machine_time_zone()));
    }
}
