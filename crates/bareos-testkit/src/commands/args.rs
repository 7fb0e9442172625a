//! Reading the arguments of a command line (the director's `argk`/`argv`).

/// The value of `key=value` (the key case-insensitive), the first one given.
pub(super) fn value<'a>(args: &'a [String], key: &str) -> Option<&'a str> {
    args.iter().find_map(|a| {
        let (k, v) = a.split_once('=')?;
        k.eq_ignore_ascii_case(key).then_some(v)
    })
}

/// Whether the bare word `word` is given (case-insensitive).
pub(super) fn has(args: &[String], word: &str) -> bool {
    args.iter().any(|a| a.eq_ignore_ascii_case(word))
}

/// Whether `word` is given as a keyword, bare or with a value (`volume`, `volume=x`).
pub(super) fn has_keyword(args: &[String], word: &str) -> bool {
    args.iter()
        .any(|a| bareos_proto::command::arg_keyword(a).eq_ignore_ascii_case(word))
}
