//! `bareosctl top`: a live view of a director in the terminal. The model ([`model`],
//! [`parse`]) knows nothing of terminals; the worker ([`fetch`]) owns the connection in
//! its own thread; the loop here reads keys and reports and draws ([`view`]).

mod fetch;
mod model;
mod parse;
mod view;

use crate::connect::Plan;
use crate::exit::{self, CliError, CliResult};
use crossterm::event::{self, Event, KeyEventKind};
use model::{App, Command, Dialog, Link};
use std::io::IsTerminal;
use std::time::Duration;

/// Deadline of each command when `--timeout` is not given.
pub const DEFAULT_CALL_TIMEOUT: Duration = Duration::from_secs(15);

/// How long the loop waits for a key before it looks at the worker's reports.
const TICK: Duration = Duration::from_millis(100);

/// Runs the view until `q`.
pub fn run(plan: &Plan, interval: Duration, call_timeout: Duration) -> CliResult<i32> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(CliError::usage(
            "top needs a terminal (for one reading, use: bareosctl call status director)",
        ));
    }
    let worker = fetch::Worker::spawn(fetch::Settings {
        config: plan.config.clone(),
        interval,
        call_timeout,
    })?;
    let mut terminal = ratatui::try_init()?;
    let result = event_loop(&mut terminal, &worker, interval);
    ratatui::restore();
    result.map(|()| exit::OK)
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    worker: &fetch::Worker,
    interval: Duration,
) -> CliResult<()> {
    let mut app = App::new(interval);
    loop {
        while let Ok(report) = worker.reports.try_recv() {
            match report {
                fetch::Report::Link(link) => {
                    if let (Link::Down { reason, .. }, Some(Dialog::Messages(None))) =
                        (&link, &app.dialog)
                    {
                        app.dialog = Some(Dialog::Messages(Some(format!(
                            "the director went away: {reason}"
                        ))));
                    }
                    app.link = link;
                }
                fetch::Report::Snapshot(snapshot, at) => app.update(*snapshot, at),
                fetch::Report::Done(text) => {
                    if matches!(app.dialog, Some(Dialog::Messages(None))) {
                        app.dialog = Some(Dialog::Messages(Some(text)));
                    } else {
                        app.notice = Some(text);
                    }
                }
                fetch::Report::Messages(text) => {
                    if matches!(app.dialog, Some(Dialog::Messages(_))) {
                        app.dialog = Some(Dialog::Messages(Some(text)));
                    }
                }
            }
        }
        terminal.draw(|frame| view::draw(frame, &app))?;
        if !event::poll(TICK)? {
            continue;
        }
        if let Event::Key(key) = event::read()? {
            if key.kind != KeyEventKind::Press {
                continue;
            }
            match app.key(key) {
                Command::Quit => return Ok(()),
                Command::Send(action) => {
                    if !matches!(action, model::Action::Messages) {
                        app.notice = Some("asking the director...".into());
                    }
                    worker.send(action);
                }
                Command::None => {}
            }
        }
    }
}
