//! The postmortems by year as one self-contained HTML page to share: no
//! scripts, no files beside it, readable in light and dark.

use super::html;
use crate::notebook::{Bucket, LinkKind, Notebook};

/// The page, newest year first and General last, each link with what its
/// item says about it.
pub fn postmortems(notebook: &Notebook, title: &str) -> String {
    let mut years: Vec<(Option<u16>, Vec<String>)> = Vec::new();
    for l in notebook.links().filter(|l| l.bucket() != Bucket::None) {
        let year = l.year();
        let title = l.title();
        let link = if l.kind() == LinkKind::Web {
            format!("<a href=\"{}\">{}</a>", html(l.url()), html(&title))
        } else {
            html(&title)
        };
        let context = l.context();
        let about = context
            .strip_prefix(title.as_ref())
            .unwrap_or("")
            .trim_start_matches([' ', '-', ':', '.', '–', '—'])
            .trim();
        let item = if about.is_empty() {
            format!("<li>{link}</li>")
        } else {
            format!("<li>{link} <span>{}</span></li>", html(about))
        };
        match years.iter_mut().find(|(y, _)| *y == year) {
            Some((_, items)) => items.push(item),
            None => years.push((year, vec![item])),
        }
    }
    // Newest first; General (no year) last.
    years.sort_by_key(|(y, _)| std::cmp::Reverse(y.map_or(0, |y| y + 1)));
    let mut out = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{0}</title>\n<style>\n\
         :root {{ color-scheme: light dark; font-family: system-ui, sans-serif; }}\n\
         body {{ max-width: 50rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }}\n\
         li {{ margin: 0.3rem 0; }} li span {{ opacity: 0.75; }}\n\
         </style>\n</head>\n<body>\n<h1>{0}</h1>\n",
        html(title)
    );
    for (year, items) in years {
        let name = year.map_or("General".to_string(), |y| y.to_string());
        out.push_str(&format!(
            "<h2 id=\"{}\">{name} <small>({})</small></h2>\n<ul>\n",
            name.to_lowercase(),
            items.len()
        ));
        for item in items {
            out.push_str(&item);
            out.push('\n');
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}
