//! Why one retro is suggested on another's page: shared labels, then the words both weigh most.

use super::Vector;
use crate::model::Retro;

/// Why `b` is suggested on `a`'s page, most telling reason first.
pub(super) fn reasons(a: &Retro, b: &Retro, va: &Vector, vb: &Vector, words: &[String]) -> Vec<String> {
    let shared = |x: &[String], y: &[String]| x.iter().filter(|v| y.contains(v)).cloned().collect::<Vec<_>>();
    let mut reasons = Vec::new();
    let modes = shared(&a.failure_modes, &b.failure_modes);
    if !modes.is_empty() {
        reasons.push(format!("same failure mode: {}", modes.join(", ")));
    }
    let services = shared(&a.services, &b.services);
    if !services.is_empty() {
        reasons.push(format!("same service: {}", services.join(", ")));
    }
    if let Some(trigger) = a.trigger.as_ref().filter(|t| b.trigger.as_ref() == Some(*t)) {
        reasons.push(format!("same trigger: {trigger}"));
    }
    let factors = shared(&a.contributing_factors, &b.contributing_factors);
    if !factors.is_empty() {
        reasons.push(format!("shared factors: {}", factors.join(", ")));
    }
    reasons.extend(shared_words(va, vb, words));
    reasons
}

/// "shares: pool, connection, timeout": the three words two vectors weigh most together.
pub(super) fn shared_words(va: &Vector, vb: &Vector, words: &[String]) -> Option<String> {
    let mut common = common_words(va, vb);
    common.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    let top: Vec<&str> = common.iter().take(3).map(|(id, _)| words[*id as usize].as_str()).collect();
    (!top.is_empty()).then(|| format!("shares: {}", top.join(", ")))
}

/// The words two vectors (sorted by word id) share, with the product of their weights.
fn common_words(a: &Vector, b: &Vector) -> Vec<(u32, f64)> {
    let (mut i, mut j, mut common) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common.push((a[i].0, a[i].1 * b[j].1));
                i += 1;
                j += 1;
            }
        }
    }
    common
}
