//! Where each part of the screen goes: a pure function of the terminal
//! size, used by the drawing and by the hit-testing of mouse actions alike.

use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::widgets::Block;

use super::action::Point;
use super::tree::View;

/// Smallest terminal width the full screen is drawn in.
pub const MIN_WIDTH: u16 = 40;
/// Smallest terminal height the full screen is drawn in.
pub const MIN_HEIGHT: u16 = 8;
/// Rows of the preview under the search results.
pub const PREVIEW_HEIGHT: u16 = 5;
/// Rows each search result takes: its title, then what matched in its item.
pub const RESULT_HEIGHT: u16 = 2;

/// Rows a search result takes in `results`: its title and its matched
/// text, or, where not even one result fits so, its title alone.
pub fn result_height(results: Rect) -> u16 {
    if results.height < RESULT_HEIGHT {
        1
    } else {
        RESULT_HEIGHT
    }
}

/// The parts of the screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Areas {
    /// The view bar.
    pub tabs: Rect,
    /// The navigation tree (with its border).
    pub nav: Rect,
    /// The detail pane (with its border).
    pub detail: Rect,
    /// The status bar.
    pub status: Rect,
    /// The search pane, over nav and detail.
    pub search: Rect,
}

/// The search pane's parts, inside its border.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SearchAreas {
    /// The query line and the line under it.
    pub input: Rect,
    /// The result rows.
    pub results: Rect,
    /// The preview of the selected result.
    pub preview: Rect,
}

/// What a point on the screen is over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spot {
    /// A view's tab.
    Tab(View),
    /// A line of the navigation list (0 is its first row on screen).
    NavLine(usize),
    /// Anywhere else in the navigation pane (its border).
    Nav,
    /// The detail pane.
    Detail,
    /// A search result (0 is the first on screen).
    Result(usize),
    /// Anywhere else in the search pane.
    Search,
    /// The status bar, or a gap.
    Elsewhere,
}

impl Areas {
    /// The layout of a terminal of this size, or `None` when it is too small.
    pub fn of(area: Rect) -> Option<Areas> {
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            return None;
        }
        let [tabs, main, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(1),
        ])
        .areas(area);
        let [nav, detail] =
            Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
                .areas(main);
        Some(Areas {
            tabs,
            nav,
            detail,
            status,
            search: main,
        })
    }

    /// Rows of the navigation list (inside its border).
    pub fn nav_rows(&self) -> usize {
        self.nav.height.saturating_sub(2) as usize
    }

    /// The parts of the search pane.
    pub fn search_parts(&self) -> SearchAreas {
        let [input, results, preview] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Min(1),
            Constraint::Length(PREVIEW_HEIGHT),
        ])
        .areas(Block::bordered().inner(self.search));
        SearchAreas {
            input,
            results,
            preview,
        }
    }

    /// How many search results fit.
    pub fn result_rows(&self) -> usize {
        let results = self.search_parts().results;
        (results.height / result_height(results)) as usize
    }

    /// What `point` is over, with the search pane open or not.
    pub fn hit(&self, point: Point, searching: bool) -> Spot {
        let p = Position::new(point.x, point.y);
        if self.tabs.contains(p) {
            return tab_spans(self.tabs)
                .into_iter()
                .find(|(_, x, w)| point.x >= *x && point.x < x + w)
                .map_or(Spot::Elsewhere, |(v, _, _)| Spot::Tab(v));
        }
        if searching {
            let results = self.search_parts().results;
            if results.contains(p) {
                return Spot::Result(((point.y - results.y) / result_height(results)) as usize);
            }
            if self.search.contains(p) {
                return Spot::Search;
            }
            return Spot::Elsewhere;
        }
        if self.nav.contains(p) {
            return if point.y > self.nav.y {
                Spot::NavLine((point.y - self.nav.y - 1) as usize)
            } else {
                Spot::Nav
            };
        }
        if self.detail.contains(p) {
            return Spot::Detail;
        }
        Spot::Elsewhere
    }
}

/// A view's tab label: its number key and title.
pub fn tab_label(i: usize, v: View) -> String {
    format!(" {} {} ", i + 1, v.title())
}

/// The columns each tab takes: (view, first column, width).
pub fn tab_spans(area: Rect) -> Vec<(View, u16, u16)> {
    let mut x = area.x + 1;
    let mut out = Vec::new();
    for (i, v) in View::ALL.iter().enumerate() {
        let w = tab_label(i, *v).chars().count() as u16;
        out.push((*v, x, w));
        x += w + 1;
    }
    out
}

/// A rectangle of at most `w`×`h` centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_tab_has_its_columns_for_clicks() {
        let spans = tab_spans(Rect::new(0, 0, 80, 1));
        assert_eq!(
            spans,
            vec![
                (View::Postmortems, 1, 15),
                (View::Sessions, 17, 12),
                (View::Notebook, 30, 12),
                (View::Links, 43, 9),
                (View::Actions, 53, 11),
            ]
        );
    }

    #[test]
    fn points_hit_the_part_they_are_over() {
        let areas = Areas::of(Rect::new(0, 0, 100, 30)).expect("big enough");
        let at = |x, y| Point { x, y };
        assert_eq!(areas.hit(at(18, 0), false), Spot::Tab(View::Sessions));
        assert_eq!(areas.hit(at(16, 0), false), Spot::Elsewhere);
        assert_eq!(areas.hit(at(5, 1), false), Spot::Nav);
        assert_eq!(areas.hit(at(5, 4), false), Spot::NavLine(2));
        assert_eq!(areas.hit(at(60, 4), false), Spot::Detail);
        assert_eq!(areas.hit(at(5, 29), false), Spot::Elsewhere);
        // Search: border, query (2 rows), then results.
        assert_eq!(areas.hit(at(5, 4), true), Spot::Result(0));
        assert_eq!(areas.hit(at(5, 5), true), Spot::Result(0));
        assert_eq!(areas.hit(at(5, 6), true), Spot::Result(1));
        assert_eq!(areas.hit(at(5, 2), true), Spot::Search);
        assert_eq!(
            areas.result_rows(),
            (28 - 2 - 2 - PREVIEW_HEIGHT as usize) / 2
        );
    }
}
