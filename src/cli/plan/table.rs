//! The plan for a person at a terminal: where the rollout stands, each
//! round with running totals and a progress bar, the partition line, and
//! every pod that will not move with the reason.

use crate::color;
use crate::plan::{Action, Batch, Plan};
use std::fmt::Write;

pub struct Style {
    /// ANSI colours (a terminal, NO_COLOR unset, or --color=always).
    pub color: bool,
    /// List every pod of every batch (-o wide) instead of the first few.
    pub all_pods: bool,
}

const SHOWN_PODS: usize = 10;
const BAR: usize = 30;

impl Style {
    fn paint(&self, style: anstyle::Style, text: &str) -> String {
        color::paint(style, text, self.color)
    }
}

/// `[#####.....]  42%` of `done` out of `total`.
pub fn progress(done: usize, total: usize) -> String {
    let filled = (done * BAR).checked_div(total).unwrap_or(0).min(BAR);
    let pct = (done * 100).checked_div(total).unwrap_or(100);
    format!(
        "[{}{}] {pct:>3}%",
        "#".repeat(filled),
        ".".repeat(BAR - filled)
    )
}

fn batch_rows(s: &mut String, batches: &[Batch], style: &Style) {
    for b in batches {
        let (action, names, colour) = match b.action {
            Action::Upgrade => ("upgrade", &b.pods, color::GREEN),
            Action::Flip => ("flip", &b.flipped, color::CYAN),
        };
        let _ = writeln!(
            s,
            "  {:>5}  {}  {:>6}  {:>13}  {}",
            b.round,
            style.paint(colour, &format!("{action:<7}")),
            names.len(),
            format!("{}/{}", b.updated, b.matched),
            progress(b.updated, b.matched)
        );
        if !b.spread.is_empty() {
            let parts: Vec<String> = b
                .spread
                .iter()
                .map(|sp| format!("{} {}", sp.label, sp.pods))
                .collect();
            let _ = writeln!(s, "         spread: {}", parts.join(", "));
        }
        pod_list(s, names, "         ", style);
    }
}

/// One pod per line, the first few unless -o wide.
fn pod_list<P: AsRef<str>>(s: &mut String, pods: &[P], indent: &str, style: &Style) {
    let shown = if style.all_pods {
        pods.len()
    } else {
        SHOWN_PODS.min(pods.len())
    };
    for pod in &pods[..shown] {
        let _ = writeln!(s, "{indent}{}", pod.as_ref());
    }
    if shown < pods.len() {
        let _ = writeln!(
            s,
            "{indent}... and {} more (-o wide lists every pod)",
            pods.len() - shown
        );
    }
}

pub fn render(p: &Plan, style: &Style) -> String {
    let mut s = String::new();
    let st = &p.status;
    let health = match p.health.as_str() {
        "Healthy" => style.paint(color::GREEN, &p.health),
        "Suspended" => style.paint(color::YELLOW, &p.health),
        _ => style.paint(color::BLUE, &p.health),
    };
    let _ = writeln!(
        s,
        "{} {}   health (Argo CD): {health}",
        style.paint(color::BOLD, "SidecarSet"),
        style.paint(color::BOLD, &p.sidecar_set)
    );
    let _ = writeln!(
        s,
        "  now: matched {}, updated {}, ready {}, updated and ready {}   {}",
        st.matched_pods,
        st.updated_pods,
        st.ready_pods,
        st.updated_ready_pods,
        progress(st.updated_pods, st.matched_pods)
    );
    let _ = writeln!(
        s,
        "  maxUnavailable {} pod(s), partition {} pod(s)",
        p.max_unavailable, p.resolved_partition
    );
    if let Some(why) = &p.stopped {
        let _ = writeln!(
            s,
            "  {} {why}",
            style.paint(color::YELLOW, "next reconcile changes no pod:")
        );
    }
    if !p.batches.is_empty() {
        let _ = writeln!(
            s,
            "\n  {}",
            style.paint(
                color::BOLD,
                "ROUND  ACTION     PODS        UPDATED  PROGRESS"
            )
        );
        batch_rows(&mut s, &p.batches, style);
    }
    if let Some(pt) = &p.partition {
        let line = format!(
            "---- partition {}: {} waiting pod(s) stay on the old revision ----",
            pt.value,
            pt.held.len()
        );
        let _ = writeln!(s, "  {}", style.paint(color::YELLOW, &line));
        let _ = writeln!(s, "  {}", pt.message);
        if style.all_pods {
            let _ = writeln!(s, "  held, in release order:");
            for pod in &pt.held {
                let _ = writeln!(s, "         {pod}");
            }
        }
        if !pt.release.is_empty() {
            let _ = writeln!(s, "  with partition 0 the rollout would go on:");
            batch_rows(&mut s, &pt.release, style);
        }
        let _ = writeln!(s, "  then: {}", pt.release_end);
    } else if p.stopped.is_none() {
        let _ = writeln!(s, "  end: {}", p.end);
    }
    if !p.not_upgradable.is_empty() {
        let _ = writeln!(
            s,
            "  {}",
            style.paint(
                color::RED,
                &format!("not upgradable in place ({}):", p.not_upgradable.len())
            )
        );
        // Pods of one workload share their reason: say it once.
        let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
        for n in &p.not_upgradable {
            match groups.iter_mut().find(|(r, _)| *r == n.reason) {
                Some((_, pods)) => pods.push(&n.pod),
                None => groups.push((&n.reason, vec![&n.pod])),
            }
        }
        for (reason, pods) in groups {
            let _ = writeln!(s, "    {reason}");
            pod_list(&mut s, &pods, "      ", style);
        }
    }
    for pod in &p.in_flight {
        let _ = writeln!(
            s,
            "  in flight: {pod}: its previous in-place update has not completed"
        );
    }
    if !p.unmanaged.is_empty() {
        let _ = writeln!(
            s,
            "  not managed by {} ({}):",
            p.sidecar_set,
            p.unmanaged.len()
        );
        for n in &p.unmanaged {
            let _ = writeln!(s, "    {}: {}", n.pod, n.reason);
        }
    }
    if p.batches.len() > 1
        || p.partition
            .as_ref()
            .is_some_and(|pt| !pt.release.is_empty())
    {
        let _ = writeln!(s, "  model: {}", p.model);
    }
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_bar_arithmetic() {
        assert_eq!(progress(0, 10), format!("[{}]   0%", ".".repeat(30)));
        assert_eq!(
            progress(5, 10),
            format!("[{}{}]  50%", "#".repeat(15), ".".repeat(15))
        );
        assert_eq!(progress(10, 10), format!("[{}] 100%", "#".repeat(30)));
        assert_eq!(progress(0, 0), format!("[{}] 100%", ".".repeat(30)));
    }

    #[test]
    fn colour_only_when_asked() {
        let plain = Style {
            color: false,
            all_pods: false,
        };
        let coloured = Style {
            color: true,
            all_pods: false,
        };
        assert_eq!(plain.paint(color::RED, "x"), "x");
        assert_eq!(
            coloured.paint(color::RED, "x"),
            color::paint(color::RED, "x", true)
        );
        assert_ne!(coloured.paint(color::RED, "x"), "x");
    }
}
