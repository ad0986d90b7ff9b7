//! The merge view: one hunk changed on both sides, mine beside theirs, and
//! what has been chosen so far.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::text::clean;
use super::theme;
use crate::app::overlay::{MergeTarget, MergeView};
use crate::app::{Action, Mode};
use crate::keymap::Keymap;
use crate::notebook::merge::Choice;

fn key(keymap: &Keymap, a: Action) -> String {
    keymap
        .first_key(Mode::Merge, a)
        .unwrap_or_else(|| "?".into())
}

fn side(text: &str) -> Vec<Line<'static>> {
    text.lines()
        .map(|l| Line::raw(clean(l).into_owned()))
        .collect()
}

/// Draws the merge view over `area`.
pub fn draw(frame: &mut Frame, area: Rect, keymap: &Keymap, view: &MergeView) {
    let rect = crate::app::layout::centered(
        area,
        area.width.saturating_sub(4),
        area.height.saturating_sub(2),
    );
    frame.render_widget(Clear, rect);
    let n = view.choices.len();
    let chosen = view.choices.iter().filter(|c| c.is_some()).count();
    let block = Block::bordered()
        .title(format!(
            " Merge {} — hunk {}/{n}, {chosen} chosen ",
            clean(&view.path.display().to_string()),
            view.current + 1
        ))
        .title_bottom(
            Line::from(format!(
                " {} mine · {} theirs · {} both · {}/{} hunks · {} save · {} back ",
                key(keymap, Action::TakeMine),
                key(keymap, Action::TakeTheirs),
                key(keymap, Action::TakeBoth),
                key(keymap, Action::Down),
                key(keymap, Action::Up),
                key(keymap, Action::Confirm),
                key(keymap, Action::Close),
            ))
            .right_aligned(),
        )
        .border_style(theme::focus_border());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let Some(conflict) = view.merge.conflicts().nth(view.current) else {
        return;
    };
    let [status, panes] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    let choice = match view.choices.get(view.current).copied().flatten() {
        None => "not chosen yet".to_string(),
        Some(Choice::Mine) => "keeping mine".to_string(),
        Some(Choice::Theirs) => "keeping theirs".to_string(),
        Some(Choice::Both) => "keeping both: mine, then theirs".to_string(),
    };
    frame.render_widget(Paragraph::new(Line::styled(choice, theme::dim())), status);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(panes);
    let mine_style = match view.choices.get(view.current).copied().flatten() {
        Some(Choice::Mine | Choice::Both) => theme::focus_border(),
        _ => theme::dim(),
    };
    let theirs_style = match view.choices.get(view.current).copied().flatten() {
        Some(Choice::Theirs | Choice::Both) => theme::focus_border(),
        _ => theme::dim(),
    };
    frame.render_widget(
        Paragraph::new(side(&conflict.mine))
            .block(Block::bordered().title(" yours ").border_style(mine_style))
            .wrap(Wrap { trim: false }),
        left,
    );
    frame.render_widget(
        Paragraph::new(side(&conflict.theirs))
            .block(
                Block::bordered()
                    .title(match view.target {
                        MergeTarget::Editor { .. } => " on disk ",
                        MergeTarget::Sync => " upstream ",
                    })
                    .border_style(theirs_style),
            )
            .wrap(Wrap { trim: false }),
        right,
    );
}
