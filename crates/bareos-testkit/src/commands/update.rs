//! `update` (`UpdateCmd` in `ua_update.cc`): without a keyword the `Update choice:`
//! list; `volume`/`media` with the keywords `volstatus=`, `volretention=`, `voluse=`,
//! `maxvoljobs=`, `maxvolfiles=`, `maxvolbytes=`, `recycle=`, `inchanger=`, `slot=`,
//! `pool=` and `enabled=`, or else the `Parameters to modify:` menu, which asks for the
//! volume each round as the director does; `pool=` (the pool from its resource) and
//! `stats`. The changes stay in the director's catalog.

use super::args::value;
use super::records::{PoolRecord, VolumeRecord};
use super::select::{Answer, Choice};
use super::volumes::{choose_pool, choose_volume, duration_seconds, yes_or_no, Picked};
use super::Session;
use crate::json::Json;
use std::io;

/// What `update` ended with: `Some((ok, result))` (the director's `update` always
/// succeeds), or `None` when the connection is gone.
type Step = io::Result<Option<(bool, Json)>>;

/// The statuses `volstatus=` takes (`UpdateVolstatus`).
const STATUSES: [&str; 9] = [
    "Append",
    "Archive",
    "Disabled",
    "Full",
    "Used",
    "Cleaning",
    "Recycle",
    "Read-Only",
    "Error",
];

/// The keywords with a value of `update volume`, in the director's order.
const KEYWORDS: [&str; 17] = [
    "volstatus",
    "volretention",
    "voluse",
    "maxvoljobs",
    "maxvolfiles",
    "maxvolbytes",
    "recycle",
    "inchanger",
    "slot",
    "pool",
    "frompool",
    "allfrompool",
    "enabled",
    "recyclepool",
    "actiononpurge",
    "storage",
    "encrypt",
];

/// The menu of `update volume` without keywords.
const PARAMETERS: [&str; 19] = [
    "Volume Status",
    "Volume Retention Period",
    "Volume Use Duration",
    "Maximum Volume Jobs",
    "Maximum Volume Files",
    "Maximum Volume Bytes",
    "Recycle Flag",
    "Slot",
    "InChanger Flag",
    "Volume Files",
    "Pool",
    "Volume from Pool",
    "All Volumes from Pool",
    "All Volumes from all Pools",
    "Enabled",
    "RecyclePool",
    "Action On Purge",
    "Storage",
    "Done",
];

/// `update [volume|media|pool|slots|jobid|stats] ...`.
pub(super) async fn run(s: &mut Session, args: &[String]) -> Step {
    const CHOICES: [&str; 7] = ["media", "volume", "pool", "slots", "slot", "jobid", "stats"];
    let keyword = args.iter().find_map(|a| {
        let key = bareos_proto::command::arg_keyword(a);
        CHOICES.iter().position(|c| c.eq_ignore_ascii_case(key))
    });
    let item = match keyword {
        Some(0 | 1) => 0,
        Some(2) => 1,
        Some(3 | 4) => 2,
        Some(5) => {
            return not_simulated(s, "update jobid").await;
        }
        Some(_) => 3,
        None => {
            let items: Vec<String> = [
                "Volume parameters",
                "Pool from resource",
                "Slots from autochanger",
                "Long term statistics",
            ]
            .iter()
            .map(|i| i.to_string())
            .collect();
            let what = "Choose catalog item to update";
            match s.pick("Update choice:\n", &items, "item", what).await? {
                Picked::One(i) => i,
                Picked::Gone => return Ok(None),
                Picked::Nothing => return Ok(Some((true, Json::obj()))),
            }
        }
    };
    match item {
        0 => volume(s, args).await,
        1 => pool(s, args).await,
        2 => not_simulated(s, "update slots").await,
        _ => {
            let count = s.config.catalog.change(|c| {
                let jobs: Vec<u32> = c.jobs.iter().map(|j| j.id).collect();
                let new = jobs.iter().filter(|id| !c.statistics.contains(id)).count();
                c.statistics = jobs;
                new
            });
            s.info_msg(format!("Updating {count} job(s).\n")).await?;
            Ok(Some((true, Json::obj())))
        }
    }
}

async fn not_simulated(s: &mut Session, what: &str) -> Step {
    s.error_msg(format!("{what}: is not simulated by the test director.\n"))
        .await?;
    Ok(Some((false, Json::obj())))
}

/// `UpdatePool`: the pool resource, its catalog record listed, `Pool DB record updated
/// from resource.`
async fn pool(s: &mut Session, args: &[String]) -> Step {
    let names: Vec<String> = s
        .config
        .catalog
        .snapshot()
        .pools
        .iter()
        .map(|p| p.name.clone())
        .collect();
    let name = match value(args, "pool") {
        Some(name) if names.iter().any(|n| n == name) => name.to_string(),
        _ => {
            let header = "The defined Pool resources are:\n";
            match s
                .pick(header, &names, "Pool", "Select Pool resource")
                .await?
            {
                Picked::One(i) => names[i].clone(),
                Picked::Gone => return Ok(None),
                Picked::Nothing => return Ok(Some((true, Json::obj()))),
            }
        }
    };
    let records = s.config.catalog.snapshot();
    let pools: Vec<PoolRecord> = records
        .pools
        .into_iter()
        .filter(|p| p.name == name)
        .collect();
    let (_, json) = super::listing::send_pools(s, &pools, false).await?;
    s.info_msg("Pool DB record updated from resource.\n")
        .await?;
    Ok(Some((true, json)))
}

/// `update volume`: the keywords given, else the menu.
async fn volume(s: &mut Session, args: &[String]) -> Step {
    let mut done = false;
    for key in KEYWORDS {
        let Some(given) = value(args, key) else {
            continue;
        };
        let given = given.to_string();
        let (_, vol) = match choose_volume(s, args).await? {
            Picked::One(found) => found,
            Picked::Nothing => return Ok(Some((true, Json::obj()))),
            Picked::Gone => return Ok(None),
        };
        if !apply(s, key, &given, &vol).await? {
            return Ok(None);
        }
        done = true;
    }
    if done {
        return Ok(Some((true, Json::obj())));
    }
    loop {
        let chosen = match s.choose_parameter(&PARAMETERS).await? {
            Choice::Item(i) => Some(i),
            Choice::Gone => return Ok(None),
            Choice::Aborted | Choice::Empty => None,
        };
        if matches!(chosen, Some(12 | 13)) {
            return not_simulated(s, PARAMETERS[chosen.unwrap_or(0)]).await;
        }
        if chosen == Some(18) {
            s.info_msg("Selection terminated.\n").await?;
            return Ok(Some((true, Json::obj())));
        }
        // As the director: every other answer, a cancelled list too, asks for the volume.
        let (pool, vol) = match choose_volume(s, args).await? {
            Picked::One(found) => found,
            Picked::Nothing => return Ok(Some((true, Json::obj()))),
            Picked::Gone => return Ok(None),
        };
        s.info_msg(format!("Updating Volume \"{}\"\n", vol.name))
            .await?;
        let Some(item) = chosen else {
            s.info_msg("Selection terminated.\n").await?;
            return Ok(Some((true, Json::obj())));
        };
        match parameter(s, item, &pool, &vol).await? {
            Round::Again => {}
            Round::End => return Ok(Some((true, Json::obj()))),
            Round::Gone => return Ok(None),
        }
    }
}

/// After one parameter of the menu: ask again, end, or the connection is gone.
enum Round {
    Again,
    End,
    Gone,
}

/// Asks for one parameter of the menu and applies it.
async fn parameter(
    s: &mut Session,
    item: usize,
    pool: &PoolRecord,
    vol: &VolumeRecord,
) -> io::Result<Round> {
    let flag = |on: bool| if on { "yes" } else { "no" };
    let (current, key, prompt) = match item {
        0 => {
            s.info_msg(format!("Current Volume status is: {}\n", vol.status))
                .await?;
            let mut items: Vec<String> = STATUSES[..6].iter().map(|v| v.to_string()).collect();
            if vol.status == "Purged" {
                items.push("Recycle".into());
            }
            items.push("Read-Only".into());
            return match s
                .choose(
                    "Possible Values are:\n",
                    &items,
                    "",
                    "Choose new Volume Status",
                )
                .await?
            {
                Choice::Item(i) => Ok(gone_or(apply(s, "volstatus", &items[i], vol).await?)),
                Choice::Gone => Ok(Round::Gone),
                Choice::Aborted | Choice::Empty => Ok(Round::End),
            };
        }
        1 => (
            format!("Current retention period is: {}\n", utime(vol.volretention)),
            "volretention",
            "Enter Volume Retention period: ",
        ),
        2 => (
            format!("Current use duration is: {}\n", utime(vol.voluseduration)),
            "voluse",
            "Enter Volume Use Duration: ",
        ),
        3 => (
            format!("Current max jobs is: {}\n", vol.maxvoljobs),
            "maxvoljobs",
            "Enter new Maximum Jobs: ",
        ),
        4 => (
            format!("Current max files is: {}\n", vol.maxvolfiles),
            "maxvolfiles",
            "Enter new Maximum Files: ",
        ),
        5 => (
            format!("Current value is: {}\n", vol.maxvolbytes),
            "maxvolbytes",
            "Enter new Maximum Bytes: ",
        ),
        6 => (
            format!("Current recycle flag is: {}\n", flag(vol.recycle)),
            "recycle",
            "Enter new Recycle status: ",
        ),
        7 => (
            format!("Current Slot is: {}\n", vol.slot),
            "slot",
            "Enter new Slot: ",
        ),
        8 => (
            format!("Current InChanger flag is: {}\n", u8::from(vol.inchanger)),
            "inchanger",
            "",
        ),
        10 => (
            format!("Current Pool is: {}\n", pool.name),
            "pool",
            "Enter new Pool name: ",
        ),
        14 => (
            format!("Current Enabled is: {}\n", vol.enabled),
            "enabled",
            "Enter new Enabled: ",
        ),
        other => {
            not_simulated(s, PARAMETERS[other]).await?;
            return Ok(Round::End);
        }
    };
    s.info_msg(current).await?;
    let answer = match item {
        6 => yes_no(s, prompt).await?,
        8 => {
            let prompt = format!("Set InChanger flag for Volume \"{}\": yes/no: ", vol.name);
            match yes_no(s, &prompt).await? {
                Answer::Text(t) => {
                    let on = t == "yes";
                    s.config.catalog.change(|c| {
                        if let Some(v) = volume_mut(&mut c.pools, vol.id) {
                            v.inchanger = on;
                        }
                    });
                    s.info_msg(format!("New InChanger flag is: {}\n", u8::from(on)))
                        .await?;
                    return Ok(Round::Again);
                }
                other => other,
            }
        }
        3 | 4 | 7 => positive(s, prompt).await?,
        _ => s.ask(prompt).await?,
    };
    Ok(match answer {
        Answer::Text(text) => {
            let applied = gone_or(apply(s, key, &text, vol).await?);
            // A new pool ends the command (`UpdateVolPool`, then `return true`).
            if item == 10 && matches!(applied, Round::Again) {
                Round::End
            } else {
                applied
            }
        }
        Answer::Cancel => Round::End,
        Answer::Gone => Round::Gone,
    })
}

fn gone_or(applied: bool) -> Round {
    if applied {
        Round::Again
    } else {
        Round::Gone
    }
}

/// `GetYesno`: the answer as `yes` or `no`.
async fn yes_no(s: &mut Session, prompt: &str) -> io::Result<Answer> {
    Ok(match s.yes_no(prompt).await? {
        Some(Some(yes)) => Answer::Text(if yes { "yes" } else { "no" }.into()),
        Some(None) => Answer::Cancel,
        None => Answer::Gone,
    })
}

/// `GetPint`: asked until a positive number is typed.
async fn positive(s: &mut Session, prompt: &str) -> io::Result<Answer> {
    loop {
        match s.ask(prompt).await? {
            Answer::Text(t) if t.parse::<f64>().is_ok_and(|n| n >= 0.0) => {
                let n = t.parse::<f64>().unwrap_or(0.0) as u64;
                return Ok(Answer::Text(n.to_string()));
            }
            Answer::Text(t) => {
                s.warning_msg(format!("Expected a positive integer, got: {t}\n"))
                    .await?
            }
            other => return Ok(other),
        }
    }
}

/// `edit_utime` of a number of seconds.
fn utime(secs: u64) -> String {
    super::reports::elapsed_text(secs)
}

/// `size_to_uint64`: a number with an optional `k`, `kb`, `m`, `mb`, ... suffix.
fn size_bytes(text: &str) -> Option<u64> {
    let text = text.trim();
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let number: f64 = text[..end].parse().ok()?;
    let unit = text[end..].trim().to_ascii_lowercase();
    let factor: f64 = match unit.as_str() {
        "" => 1.0,
        "k" => 1024.0,
        "kb" => 1e3,
        "m" => 1024f64.powi(2),
        "mb" => 1e6,
        "g" => 1024f64.powi(3),
        "gb" => 1e9,
        "t" => 1024f64.powi(4),
        "tb" => 1e12,
        "p" => 1024f64.powi(5),
        "pb" => 1e15,
        "e" => 1024f64.powi(6),
        "eb" => 1e18,
        _ => return None,
    };
    Some((number * factor) as u64)
}

fn volume_mut(pools: &mut [PoolRecord], id: u32) -> Option<&mut VolumeRecord> {
    pools
        .iter_mut()
        .flat_map(|p| p.volumes.iter_mut())
        .find(|v| v.id == id)
}

/// Applies `key=text` to the volume as the `UpdateVol...` functions do, with their
/// messages; `false` when the connection went away.
async fn apply(s: &mut Session, key: &str, text: &str, vol: &VolumeRecord) -> io::Result<bool> {
    let id = vol.id;
    let change = |s: &Session, f: &dyn Fn(&mut VolumeRecord)| {
        s.config.catalog.change(|c| {
            if let Some(v) = volume_mut(&mut c.pools, id) {
                f(v);
            }
        })
    };
    let message = match key {
        "volstatus" => match STATUSES.iter().find(|st| st.eq_ignore_ascii_case(text)) {
            Some(status) => {
                change(s, &|v| v.status = status.to_string());
                Ok(format!("New Volume status is: {status}\n"))
            }
            None => Err(format!("Invalid VolStatus specified: {text}\n")),
        },
        "volretention" => match duration_seconds(text) {
            Some(secs) => {
                change(s, &|v| v.volretention = secs);
                Ok(format!("New retention period is: {}\n", utime(secs)))
            }
            None => Err(format!("Invalid retention period specified: {text}\n")),
        },
        "voluse" => match duration_seconds(text) {
            Some(secs) => {
                change(s, &|v| v.voluseduration = secs);
                Ok(format!("New use duration is: {}\n", utime(secs)))
            }
            None => Err(format!("Invalid use duration specified: {text}\n")),
        },
        "maxvoljobs" | "maxvolfiles" => match text.parse::<u64>() {
            Ok(n) => {
                if key == "maxvoljobs" {
                    change(s, &|v| v.maxvoljobs = n);
                    Ok(format!("New max jobs is: {n}\n"))
                } else {
                    change(s, &|v| v.maxvolfiles = n);
                    Ok(format!("New max files is: {n}\n"))
                }
            }
            Err(_) => Err(format!("Invalid number: {text}\n")),
        },
        "maxvolbytes" => match size_bytes(text) {
            Some(n) => {
                change(s, &|v| v.maxvolbytes = n);
                Ok(format!("New Max bytes is: {n}\n"))
            }
            None => Err(format!("Invalid max. bytes specification: {text}\n")),
        },
        "recycle" | "inchanger" => match yes_or_no(text) {
            Some(on) => {
                let word = if on { "yes" } else { "no" };
                if key == "recycle" {
                    change(s, &|v| v.recycle = on);
                    Ok(format!("New Recycle flag is: {word}\n"))
                } else {
                    change(s, &|v| v.inchanger = on);
                    Ok(format!("New InChanger flag is: {word}\n"))
                }
            }
            None => Err("Invalid value. It must be YES or NO.\n".to_string()),
        },
        "slot" => {
            let maxvols = s
                .config
                .catalog
                .snapshot()
                .pools
                .iter()
                .find(|p| p.volumes.iter().any(|v| v.id == id))
                .map_or(0, |p| p.maxvols);
            match text.parse::<i64>().unwrap_or(0) {
                n if n < 0 || (maxvols > 0 && n as u64 > maxvols) => Err(format!(
                    "Invalid slot, it must be between 0 and MaxVols={maxvols}\n"
                )),
                n => {
                    change(s, &|v| v.slot = n as u64);
                    Ok(format!("New Slot is: {n}\n"))
                }
            }
        }
        "pool" => {
            let to = match choose_pool(s, &[format!("pool={text}")]).await? {
                Picked::One(pool) => pool,
                Picked::Nothing => return Ok(true),
                Picked::Gone => return Ok(false),
            };
            s.config.catalog.change(|c| {
                let moved = c.pools.iter_mut().find_map(|p| {
                    let at = p.volumes.iter().position(|v| v.id == id)?;
                    Some(p.volumes.remove(at))
                });
                if let (Some(v), Some(p)) = (moved, c.pools.iter_mut().find(|p| p.id == to.id)) {
                    p.volumes.push(v);
                }
            });
            Ok(format!("New Pool is: {}\n", to.name))
        }
        "enabled" => {
            let enabled = match yes_or_no(text) {
                Some(on) => Some(u8::from(on)),
                None if text.eq_ignore_ascii_case("archived") => Some(2),
                None => None,
            };
            match enabled {
                Some(n) => {
                    change(s, &|v| v.enabled = n);
                    Ok(format!("New Enabled is: {n}\n"))
                }
                None => Err("Invalid Enabled value, it must be yes, no, or archived\n".to_string()),
            }
        }
        other => Err(format!(
            "update volume {other}=: is not simulated by the test director.\n"
        )),
    };
    match message {
        Ok(text) => s.info_msg(text).await?,
        Err(text) => s.error_msg(text).await?,
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::size_bytes;

    #[test]
    fn sizes_as_the_director_reads_them() {
        assert_eq!(size_bytes("1000"), Some(1000));
        assert_eq!(size_bytes("50G"), Some(50 * 1024 * 1024 * 1024));
        assert_eq!(size_bytes("2 mb"), Some(2_000_000));
        assert_eq!(size_bytes("lots"), None);
    }
}
