//! Errors of the test kit's file loaders.

/// An error loading a script table or a transcript.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read.
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
    /// The file content is not in the expected format.
    #[error("invalid format: {0}")]
    Format(String),
}
