//! Drawing `top` with ratatui: the header, the running, waiting and terminated jobs, the
//! pools, the status line and the dialogs. Everything shown comes from the model.

use super::model::{
    human_bytes, human_duration, human_rate, App, Column, Dialog, Focus, Link, Mode, Outcome, Panel,
};
use ratatui::layout::Constraint::{Length, Min};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table, TableState, Wrap};
use ratatui::Frame;
use std::time::Instant;

/// The keys, as `?` shows them.
pub const HELP: &str = "\
q          quit
Up/Down    select a job (j/k too)
Tab        switch between running and terminated jobs
c          cancel the selected running job (asks first)
r          rerun the selected job (asks first)
m          show the director's messages
/          filter by name, client, level or status (Enter keeps, Esc clears)
Esc        clear the filter
s / S      sort by the next column / reverse the order
?          this help (any key closes it)";

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App) {
    let waiting = app.jobs(true).len() as u16;
    let pools = app
        .snapshot
        .as_ref()
        .and_then(|s| s.pools.data())
        .map_or(1, |p| p.len().max(1) as u16);
    let [header, running, waiting_area, terminated, pools_area, status] = Layout::vertical([
        Length(1),
        Min(5),
        Length(waiting.clamp(1, 5) + 2),
        Min(5),
        Length(pools.min(8) + 2),
        Length(1),
    ])
    .areas(frame.area());
    draw_header(frame, header, app);
    draw_running(frame, running, app);
    draw_waiting(frame, waiting_area, app);
    draw_terminated(frame, terminated, app);
    draw_pools(frame, pools_area, app);
    draw_status(frame, status, app);
    if let Some(dialog) = &app.dialog {
        draw_dialog(frame, dialog, &app.filter);
    }
}

fn draw_header(frame: &mut Frame, area: Rect, app: &App) {
    let now = Instant::now();
    let mut spans = Vec::new();
    // The connection first, so that a narrow terminal still shows it.
    match &app.link {
        Link::Up => {
            let age = app.updated.map(|t| now.saturating_duration_since(t));
            match age {
                Some(age) if age > app.interval * 3 => spans.push(Span::styled(
                    format!("waiting for the director ({})", human_duration(age)),
                    Style::default().fg(Color::Black).bg(Color::Yellow),
                )),
                _ => spans.push(Span::styled("connected", Style::default().fg(Color::Green))),
            }
        }
        Link::Connecting => spans.push(Span::styled(
            "connecting...",
            Style::default().fg(Color::Black).bg(Color::Yellow),
        )),
        Link::Down { reason, retry_at } => spans.push(Span::styled(
            format!(
                "DIRECTOR GONE, reconnecting in {}: {reason}",
                human_duration(retry_at.saturating_duration_since(now))
            ),
            Style::default().fg(Color::White).bg(Color::Red),
        )),
    }
    spans.push(Span::raw("  "));
    match app.snapshot.as_ref().map(|s| &s.director) {
        Some(Panel::Ready(d)) => {
            spans.push(Span::styled(
                d.name.clone(),
                Style::default().add_modifier(Modifier::BOLD),
            ));
            spans.push(Span::raw(format!(" {}", d.version)));
            if let Some(uptime) = d.uptime {
                spans.push(Span::raw(format!("  up {}", human_duration(uptime))));
            } else if !d.started.is_empty() {
                spans.push(Span::raw(format!("  started {}", d.started)));
            }
        }
        Some(Panel::Note(note)) => spans.push(Span::raw(note.clone())),
        None => {}
    }
    if let Some(snapshot) = &app.snapshot {
        spans.push(Span::raw(match snapshot.mode {
            Mode::Json => "  [API 2]",
            Mode::Text => "  [text]",
        }));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A column of a job table: the sort key it shows (if any), its title and its width.
type JobColumn = (Option<Column>, &'static str, Constraint);

/// The columns of the running jobs.
const RUNNING_COLUMNS: [JobColumn; 10] = [
    (Some(Column::Id), "JobId", Length(7)),
    (Some(Column::Name), "Name", Min(16)),
    (Some(Column::Client), "Client", Length(14)),
    (Some(Column::Level), "Level", Length(8)),
    (None, "Type", Length(8)),
    (Some(Column::Files), "Files", Length(9)),
    (Some(Column::Bytes), "Bytes", Length(10)),
    (Some(Column::Rate), "Rate", Length(11)),
    (Some(Column::Elapsed), "Elapsed", Length(9)),
    (None, "ETA", Length(8)),
];

/// The columns of the terminated jobs.
const TERMINATED_COLUMNS: [JobColumn; 7] = [
    (None, "JobId", Length(7)),
    (Some(Column::Name), "Name", Min(16)),
    (Some(Column::Level), "Level", Length(6)),
    (Some(Column::Client), "Status", Length(20)),
    (Some(Column::Files), "Files", Length(9)),
    (Some(Column::Bytes), "Bytes", Length(10)),
    (None, "Finished", Length(16)),
];

/// The heading row; the sort column's title gets `^` (ascending) or `v`.
fn heading(app: &App, columns: &[JobColumn]) -> Row<'static> {
    Row::new(columns.iter().map(|(column, title, _)| {
        let mut title = title.to_string();
        if *column == Some(app.sort) {
            title.push(if app.descending { 'v' } else { '^' });
        }
        Cell::from(title)
    }))
    .style(Style::default().add_modifier(Modifier::BOLD))
}

fn block(title: String, focused: bool) -> Block<'static> {
    let style = if focused {
        Style::default().fg(Color::Cyan)
    } else {
        Style::default()
    };
    Block::default()
        .borders(Borders::ALL)
        .border_style(style)
        .title(title)
}

/// The note of a panel without data, in a block.
fn draw_note(frame: &mut Frame, area: Rect, block: Block<'static>, note: &str) {
    frame.render_widget(
        Paragraph::new(note.to_string())
            .style(Style::default().fg(Color::Yellow))
            .wrap(Wrap { trim: true })
            .block(block),
        area,
    );
}

/// A job table of these columns (heading and widths) and rows.
fn job_table<'a>(
    app: &App,
    columns: &[JobColumn],
    rows: impl IntoIterator<Item = Row<'a>>,
    block: Block<'a>,
) -> Table<'a> {
    let widths = columns.iter().map(|(_, _, width)| *width);
    Table::new(rows, widths)
        .header(heading(app, columns))
        .block(block)
}

/// Draws a table with the `selected` row (if any) highlighted.
fn draw_selectable(frame: &mut Frame, area: Rect, table: Table<'_>, selected: Option<usize>) {
    let table = table
        .row_highlight_style(Style::default().add_modifier(Modifier::REVERSED))
        .highlight_symbol(">");
    let mut state = TableState::default();
    state.select(selected);
    frame.render_stateful_widget(table, area, &mut state);
}

fn running_note(app: &App) -> Option<String> {
    match app.snapshot.as_ref().map(|s| &s.running) {
        Some(Panel::Note(note)) => Some(note.clone()),
        None => Some("reading...".into()),
        Some(Panel::Ready(_)) => None,
    }
}

fn draw_running(frame: &mut Frame, area: Rect, app: &App) {
    let rows = app.jobs(false);
    let focused = app.focus == Focus::Running;
    let filter = if app.filter.is_empty() {
        String::new()
    } else {
        format!(" filter: {}", app.filter)
    };
    let block = block(format!(" Running jobs ({}){filter} ", rows.len()), focused);
    if let Some(note) = running_note(app) {
        return draw_note(frame, area, block, &note);
    }
    let dash = || "-".to_string();
    let table_rows = rows.iter().map(|r| {
        let j = r.job;
        Row::new(vec![
            j.jobid.to_string(),
            j.name.clone(),
            j.client.clone().unwrap_or_else(dash),
            j.level.clone(),
            j.job_type.clone(),
            j.files.map_or_else(dash, |f| f.to_string()),
            j.bytes.map_or_else(dash, human_bytes),
            r.rate.map_or_else(dash, human_rate),
            j.elapsed.map_or_else(dash, human_duration),
            r.eta.map_or_else(dash, human_duration),
        ])
    });
    let table = job_table(app, &RUNNING_COLUMNS, table_rows, block);
    let selected = (focused && app.selected < rows.len()).then_some(app.selected);
    draw_selectable(frame, area, table, selected);
}

fn draw_waiting(frame: &mut Frame, area: Rect, app: &App) {
    let rows = app.jobs(true);
    let focused = app.focus == Focus::Running;
    let running = app.jobs(false).len();
    let block = block(format!(" Waiting jobs ({}) ", rows.len()), false);
    if running_note(app).is_some() {
        return frame.render_widget(block, area);
    }
    let table_rows = rows.iter().map(|r| {
        let j = r.job;
        Row::new(vec![
            j.jobid.to_string(),
            j.name.clone(),
            j.level.clone(),
            j.status.clone(),
        ])
        .style(Style::default().fg(Color::Yellow))
    });
    let table = Table::new(table_rows, [Length(7), Length(24), Length(8), Min(20)]).block(block);
    // The selection runs over the running jobs first, then the waiting ones.
    let selected = app
        .selected
        .checked_sub(running)
        .filter(|index| focused && *index < rows.len());
    draw_selectable(frame, area, table, selected);
}

fn outcome_style(outcome: Outcome) -> Style {
    match outcome {
        Outcome::Ok => Style::default().fg(Color::Green),
        Outcome::Warnings => Style::default().fg(Color::Yellow),
        Outcome::Error => Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
        Outcome::Canceled => Style::default().fg(Color::Magenta),
        Outcome::Other => Style::default(),
    }
}

fn draw_terminated(frame: &mut Frame, area: Rect, app: &App) {
    let rows = app.finished();
    let focused = app.focus == Focus::Terminated;
    let block = block(format!(" Terminated jobs ({}) ", rows.len()), focused);
    match app.snapshot.as_ref().map(|s| &s.terminated) {
        Some(Panel::Note(note)) => return draw_note(frame, area, block, note),
        None => return draw_note(frame, area, block, "reading..."),
        Some(Panel::Ready(_)) => {}
    }
    let table_rows = rows.iter().map(|j| {
        Row::new(vec![
            Cell::from(j.jobid.to_string()),
            Cell::from(j.name.clone()),
            Cell::from(j.level.clone()),
            Cell::from(j.status.clone()).style(outcome_style(j.outcome())),
            Cell::from(j.files.to_string()),
            Cell::from(human_bytes(j.bytes)),
            Cell::from(j.finished.clone()),
        ])
    });
    let table = job_table(app, &TERMINATED_COLUMNS, table_rows, block);
    let selected = (focused && app.selected < rows.len()).then_some(app.selected);
    draw_selectable(frame, area, table, selected);
}

/// `[#####.....]`-style bar of `width` cells.
pub fn bar(ratio: f64, width: usize) -> String {
    let filled = ((ratio.clamp(0.0, 1.0) * width as f64).round() as usize).min(width);
    format!("[{}{}]", "#".repeat(filled), ".".repeat(width - filled))
}

fn draw_pools(frame: &mut Frame, area: Rect, app: &App) {
    let block = block(" Pools ".into(), false);
    let pools = match app.snapshot.as_ref().map(|s| &s.pools) {
        Some(Panel::Ready(pools)) => pools,
        Some(Panel::Note(note)) => return draw_note(frame, area, block, note),
        None => return draw_note(frame, area, block, "reading..."),
    };
    let lines: Vec<Line> = pools
        .iter()
        .map(|p| {
            let (bar_text, limit) = match p.ratio() {
                Some(r) => (
                    bar(r, 20),
                    format!("{}/{} volumes", p.volumes, p.max_volumes),
                ),
                None => (bar(0.0, 20), format!("{} volumes, no limit", p.volumes)),
            };
            let color = match p.ratio() {
                Some(r) if r >= 0.95 => Color::Red,
                Some(r) if r >= 0.8 => Color::Yellow,
                _ => Color::Green,
            };
            let mut spans = vec![
                Span::raw(format!("{:<14} ", truncate(&p.name, 14))),
                Span::styled(bar_text, Style::default().fg(color)),
                Span::raw(format!(" {limit:<22}")),
            ];
            if let Some(bytes) = p.bytes {
                spans.push(Span::raw(format!(
                    " {:>10}  full {}  appendable {}",
                    human_bytes(bytes),
                    p.full,
                    p.appendable
                )));
            }
            Line::from(spans)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn truncate(text: &str, width: usize) -> String {
    text.chars().take(width).collect()
}

fn draw_status(frame: &mut Frame, area: Rect, app: &App) {
    let mut spans = vec![Span::styled(
        " q quit  c cancel  r rerun  m messages  / filter  s sort  Tab switch  ? help ",
        Style::default().add_modifier(Modifier::REVERSED),
    )];
    if let Some(notice) = &app.notice {
        spans.push(Span::raw(format!("  {notice}")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

fn draw_dialog(frame: &mut Frame, dialog: &Dialog, filter: &str) {
    let (title, text, width, height) = match dialog {
        Dialog::Help => (" Keys ".to_string(), HELP.to_string(), 80, 13),
        Dialog::Filter => (
            " Filter ".to_string(),
            "Type to filter; Enter keeps it, Esc clears it.".to_string(),
            60,
            3,
        ),
        Dialog::Confirm(_, question) => (" Confirm ".to_string(), question.clone(), 50, 3),
        Dialog::Messages(None) => (" Messages ".to_string(), "reading...".to_string(), 60, 3),
        Dialog::Messages(Some(text)) => (
            " Messages (any key closes) ".to_string(),
            text.clone(),
            100,
            20,
        ),
    };
    if matches!(dialog, Dialog::Filter) {
        // The filter is typed in the status line.
        let area = frame.area();
        let rect = Rect {
            x: area.x,
            y: area.y + area.height.saturating_sub(1),
            width: area.width,
            height: 1,
        };
        frame.render_widget(Clear, rect);
        frame.render_widget(Paragraph::new(format!("/{filter}_  ({text})")), rect);
        return;
    }
    let area = centered(frame.area(), width, height + 2);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: false })
            .block(Block::default().borders(Borders::ALL).title(title)),
        area,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars() {
        assert_eq!(bar(0.0, 4), "[....]");
        assert_eq!(bar(0.5, 4), "[##..]");
        assert_eq!(bar(2.0, 4), "[####]");
    }
}
