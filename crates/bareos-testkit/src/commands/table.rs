//! The command table of the simulated director: the director's own table
//! ([`bareos_proto::command_table`]) followed by the test kit's `.testkit` helper.

use bareos_proto::command_table::{DirectorCommand, DIRECTOR_COMMANDS};

/// Large outputs on demand, for streaming tests; not a director command.
const TESTKIT: DirectorCommand = DirectorCommand {
    name: ".testkit",
    description: "Test kit helpers: large outputs for streaming tests",
    arguments: "output size=<bytes> [json]",
};

/// Every command of the simulated director, in the order used for prefix matching.
pub(crate) fn commands() -> impl Iterator<Item = &'static DirectorCommand> {
    DIRECTOR_COMMANDS.iter().chain(std::iter::once(&TESTKIT))
}

/// Finds the command a typed word stands for, as the director does: the first command,
/// in table order, that the word is a case-insensitive prefix of.
pub(crate) fn lookup(word: &str) -> Option<&'static str> {
    commands()
        .find(|command| command.is_typed_as(word))
        .map(|command| command.name)
}
