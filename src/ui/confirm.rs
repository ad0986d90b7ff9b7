//! A question over everything else: yes/no, or the choices after a conflict
//! or a crash. The answer keys shown come from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::text::clean;
use super::theme;
use crate::app::layout::centered;
use crate::app::overlay::Question;
use crate::app::{Action, Mode};
use crate::keymap::Keymap;

fn keys(keymap: &Keymap, actions: &[(Action, &str)]) -> String {
    actions
        .iter()
        .filter_map(|&(a, word)| {
            keymap
                .first_key(Mode::Confirm, a)
                .map(|k| format!("{k}: {word}"))
        })
        .collect::<Vec<_>>()
        .join("   ")
}

/// What the cancel key does for a question, in a word or three.
pub fn cancel_word(question: &Question) -> &'static str {
    match question {
        Question::OpenSuspiciousHost { .. } | Question::OpenDead { .. } => "cancel",
        Question::Conflict { .. } | Question::Gone { .. } => "later",
        Question::DiscardUnsaved { .. } | Question::Overwrite { .. } => "back",
        Question::Recover { .. } => "ask next time",
    }
}

/// The status bar's hint under a question: the dialog lists the answers, so
/// only the way out is repeated.
pub fn status_hint(keymap: &Keymap, question: &Question) -> String {
    let out = keys(keymap, &[(Action::Cancel, cancel_word(question))]).replacen(": ", " ", 1);
    format!("answer in the dialog · {out}")
}

/// The lines of a question.
pub fn lines(keymap: &Keymap, question: &Question) -> (&'static str, Vec<Line<'static>>) {
    match question {
        Question::OpenDead {
            url,
            reason,
            archived,
            kept,
            archive_off,
            ..
        } => {
            let mut lines = vec![
                Line::styled(
                    format!("This link was dead when checked ({}).", clean(reason)),
                    theme::title(),
                ),
                Line::styled(format!("  {}", clean(url)), theme::dim()),
                Line::default(),
            ];
            // The text kept here is offered first: it opens offline.
            if let Some(day) = kept {
                lines.push(Line::styled(
                    keys(
                        keymap,
                        &[(Action::Reload, &format!("read the copy kept on {day}"))],
                    ),
                    theme::matched(),
                ));
                lines.push(Line::default());
            }
            match archived {
                Some((copy, day)) => {
                    lines.push(Line::raw(format!("Archived copy of {day}:")));
                    lines.push(Line::styled(format!("  {}", clean(copy)), theme::dim()));
                    lines.push(Line::default());
                    lines.push(Line::styled(
                        keys(
                            keymap,
                            &[
                                (Action::Confirm, "open the copy"),
                                (Action::OpenOriginal, "open the dead link"),
                            ],
                        ),
                        theme::matched(),
                    ));
                    lines.push(Line::styled(
                        keys(
                            keymap,
                            &[
                                (Action::FixLink, "rewrite the link to the copy"),
                                (Action::Cancel, cancel_word(question)),
                            ],
                        ),
                        theme::matched(),
                    ));
                }
                None => {
                    lines.push(Line::raw(if *archive_off {
                        "Archived copies are not looked up (check.archive_api)."
                    } else {
                        "No archived copy was found."
                    }));
                    lines.push(Line::default());
                    lines.push(Line::styled(
                        keys(
                            keymap,
                            &[
                                (Action::Confirm, "open it all the same"),
                                (Action::Cancel, cancel_word(question)),
                            ],
                        ),
                        theme::matched(),
                    ));
                }
            }
            (" Dead link ", lines)
        }
        Question::OpenSuspiciousHost {
            url,
            decoded,
            raw,
            why,
        } => (
            " Open link? ",
            vec![
                Line::styled(clean(why).into_owned(), theme::title()),
                Line::default(),
                Line::raw(format!("  reads as:  {}", clean(decoded))),
                Line::raw(format!("  really is: {}", clean(raw))),
                Line::styled(format!("  {}", clean(url)), theme::dim()),
                Line::default(),
                Line::styled(
                    keys(
                        keymap,
                        &[
                            (Action::Confirm, "open"),
                            (Action::Cancel, cancel_word(question)),
                        ],
                    ),
                    theme::matched(),
                ),
            ],
        ),
        Question::Conflict { path, hunks, .. } => (
            " Changed on disk ",
            vec![
                Line::styled(
                    format!(
                        "{} changed since you started editing.",
                        clean(&path.display().to_string())
                    ),
                    theme::title(),
                ),
                Line::raw(format!(
                    "{hunks} place{} changed on both sides; nothing was written.",
                    if *hunks == 1 { "" } else { "s" }
                )),
                Line::default(),
                Line::styled(
                    keys(
                        keymap,
                        &[
                            (Action::Merge, "merge hunk by hunk"),
                            (Action::ShowBoth, "see both"),
                        ],
                    ),
                    theme::matched(),
                ),
                Line::styled(
                    keys(
                        keymap,
                        &[
                            (Action::Reload, "reload (yours kept in .conflict)"),
                            (Action::Overwrite, "overwrite"),
                            (Action::Cancel, cancel_word(question)),
                        ],
                    ),
                    theme::matched(),
                ),
            ],
        ),
        Question::Gone { path } => (
            " Gone from disk ",
            vec![
                Line::styled(
                    format!(
                        "{} was deleted or moved while you edited it.",
                        clean(&path.display().to_string())
                    ),
                    theme::title(),
                ),
                Line::raw("Nothing was written; your text is still in the editor."),
                Line::default(),
                Line::styled(
                    keys(
                        keymap,
                        &[
                            (Action::Confirm, "write it anew"),
                            (Action::SaveAs, "save as a new note"),
                        ],
                    ),
                    theme::matched(),
                ),
                Line::styled(
                    keys(
                        keymap,
                        &[
                            (Action::Discard, "discard"),
                            (Action::Cancel, cancel_word(question)),
                        ],
                    ),
                    theme::matched(),
                ),
            ],
        ),
        Question::DiscardUnsaved { path, lines } => (
            " Discard? ",
            vec![
                Line::styled(
                    format!(
                        "Throw away {lines} line{} of unsaved text of {}?",
                        if *lines == 1 { "" } else { "s" },
                        clean(&path.display().to_string())
                    ),
                    theme::title(),
                ),
                Line::default(),
                Line::styled(
                    keys(
                        keymap,
                        &[
                            (Action::Confirm, "discard"),
                            (Action::Cancel, cancel_word(question)),
                        ],
                    ),
                    theme::matched(),
                ),
            ],
        ),
        Question::Overwrite { path, drops, .. } => {
            let mut lines = vec![
                Line::styled(
                    format!(
                        "Overwriting {} drops {} line{} written on disk:",
                        clean(&path.display().to_string()),
                        drops.len(),
                        if drops.len() == 1 { "" } else { "s" }
                    ),
                    theme::title(),
                ),
                Line::default(),
            ];
            lines.extend(
                crate::app::conflict::drops_summary(drops)
                    .into_iter()
                    .map(|l| Line::styled(format!("    {}", clean(&l)), theme::error())),
            );
            lines.push(Line::default());
            lines.push(Line::styled(
                keys(
                    keymap,
                    &[
                        (Action::Confirm, "overwrite"),
                        (Action::Cancel, cancel_word(question)),
                    ],
                ),
                theme::matched(),
            ));
            (" Overwrite? ", lines)
        }
        Question::Recover {
            in_place, entry, ..
        } => (
            " Unsaved text found ",
            vec![
                Line::styled(
                    format!(
                        "opsbook stopped while {} had unsaved text.",
                        clean(&entry.file.display().to_string())
                    ),
                    theme::title(),
                ),
                Line::raw(match entry.text.lines().count() {
                    1 => "1 line was not saved.".to_string(),
                    n => format!("{n} lines were not saved."),
                }),
                Line::raw(if *in_place {
                    "The file is unchanged since: the text can go back in place."
                } else {
                    "The file changed since: the text goes to a .recovered file beside it."
                }),
                Line::default(),
                Line::styled(
                    keys(
                        keymap,
                        &[
                            (Action::Confirm, "recover"),
                            (Action::ShowBoth, "see both"),
                            (Action::Discard, "discard"),
                            (Action::Cancel, cancel_word(question)),
                        ],
                    ),
                    theme::matched(),
                ),
            ],
        ),
    }
}

/// Draws the question.
pub fn draw(frame: &mut Frame, area: Rect, keymap: &Keymap, question: &Question) {
    let (title, lines) = lines(keymap, question);
    let width = 76.min(area.width);
    // Each line takes as many rows as it wraps to: nothing is cut.
    let inner = width.saturating_sub(2) as usize;
    let rows: usize = lines
        .iter()
        .map(|l| {
            let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
            super::text::wrapped_rows(&text, inner)
        })
        .sum();
    let rows = rows as u16;
    let rect = centered(area, width, rows + 2);
    frame.render_widget(Clear, rect);
    let block = Block::bordered().title(title).border_style(theme::error());
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        rect,
    );
}
