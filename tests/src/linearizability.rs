//! A linearizability checker (Wing & Gong's search, with Lowe's memo of visited states) for
//! histories of several real clients against one speaking list.
//!
//! Each client records its calls with the time it sent them and the time their answer came back.
//! The history is linearizable when some total order of the calls respects real time (a call that
//! returned before another was sent comes first) and replays on a plain sequential model of the
//! list with the very answers the server gave.

use std::collections::HashSet;
use std::time::Instant;

/// A call on the list of the active segment.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Op {
    /// `request_floor` (a statement) by this person.
    Request(String),
    /// `withdraw` by this person.
    Withdraw(String),
    /// The chair's `give_floor` without an entry: the first waiting person speaks.
    GiveFloor,
    /// The chair's `end_floor`.
    EndFloor,
}

/// What the server answered.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Outcome {
    Ok,
    /// `give_floor` succeeded and gave the floor to this person.
    Floor(String),
    /// Refused with this rejection code.
    Refused(String),
}

/// One call as a client saw it.
#[derive(Debug, Clone)]
pub struct Call {
    pub client: usize,
    pub op: Op,
    pub outcome: Outcome,
    pub invoked: Instant,
    pub returned: Instant,
}

/// The sequential specification: who waits, in order, and who has the floor.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Model {
    pub waiting: Vec<String>,
    pub floor: Option<String>,
}

impl Model {
    /// Applies `op` and returns what a correct server answers.
    pub fn step(&mut self, op: &Op) -> Outcome {
        let refused = |code: &str| Outcome::Refused(code.to_string());
        match op {
            Op::Request(who) if self.waiting.contains(who) => refused("already_inscribed"),
            Op::Request(who) => {
                self.waiting.push(who.clone());
                Outcome::Ok
            }
            Op::Withdraw(who) => match self.waiting.iter().position(|w| w == who) {
                Some(at) => {
                    self.waiting.remove(at);
                    Outcome::Ok
                }
                None => refused("not_inscribed"),
            },
            Op::GiveFloor if self.waiting.is_empty() => refused("list_empty"),
            Op::GiveFloor => {
                let next = self.waiting.remove(0);
                self.floor = Some(next.clone());
                Outcome::Floor(next)
            }
            Op::EndFloor if self.floor.is_none() => refused("floor_empty"),
            Op::EndFloor => {
                self.floor = None;
                Outcome::Ok
            }
        }
    }
}

/// How the search went.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// A linearization (indices into the history), when there is one.
    pub order: Option<Vec<usize>>,
    /// States the search visited.
    pub explored: usize,
}

/// Searches for a linearization of `history` from `initial`.
pub fn check(history: &[Call], initial: Model) -> Verdict {
    let mut search = Search { history, seen: HashSet::new(), explored: 0 };
    let mut done = vec![false; history.len()];
    let mut order = Vec::with_capacity(history.len());
    let found = search.dfs(&mut done, &mut order, initial);
    Verdict { order: found.then_some(order), explored: search.explored }
}

struct Search<'a> {
    history: &'a [Call],
    /// (calls linearized, model) pairs already explored without success.
    seen: HashSet<(Vec<bool>, Model)>,
    explored: usize,
}

impl Search<'_> {
    fn dfs(&mut self, done: &mut Vec<bool>, order: &mut Vec<usize>, model: Model) -> bool {
        if order.len() == self.history.len() {
            return true;
        }
        if !self.seen.insert((done.clone(), model.clone())) {
            return false;
        }
        self.explored += 1;
        // A call may go next if no pending call returned before it was invoked.
        let earliest_return =
            self.history.iter().zip(done.iter()).filter(|(_, d)| !**d).map(|(c, _)| c.returned).min().expect("pending");
        for (i, call) in self.history.iter().enumerate() {
            if done[i] || call.invoked > earliest_return {
                continue;
            }
            let mut next = model.clone();
            if next.step(&call.op) != call.outcome {
                continue;
            }
            done[i] = true;
            order.push(i);
            if self.dfs(done, order, next) {
                return true;
            }
            order.pop();
            done[i] = false;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn call(client: usize, op: Op, outcome: Outcome, from: u64, to: u64, t0: Instant) -> Call {
        Call {
            client,
            op,
            outcome,
            invoked: t0 + Duration::from_millis(from),
            returned: t0 + Duration::from_millis(to),
        }
    }

    #[test]
    fn overlapping_calls_may_take_effect_in_either_order() {
        let t0 = Instant::now();
        let history = [
            call(1, Op::Withdraw("a".into()), Outcome::Ok, 5, 15, t0),
            call(0, Op::Request("a".into()), Outcome::Ok, 0, 10, t0),
        ];
        let verdict = check(&history, Model::default());
        assert_eq!(verdict.order, Some(vec![1, 0]));
    }

    #[test]
    fn a_withdrawal_that_misses_a_request_finished_before_it_is_not_linearizable() {
        let t0 = Instant::now();
        let history = [
            call(0, Op::Request("a".into()), Outcome::Ok, 0, 1, t0),
            call(1, Op::Withdraw("a".into()), Outcome::Refused("not_inscribed".into()), 2, 3, t0),
        ];
        assert!(check(&history, Model::default()).order.is_none());
    }

    #[test]
    fn the_floor_going_to_someone_who_asked_later_is_not_linearizable() {
        let t0 = Instant::now();
        let history = [
            call(0, Op::Request("a".into()), Outcome::Ok, 0, 1, t0),
            call(1, Op::Request("b".into()), Outcome::Ok, 2, 3, t0),
            call(2, Op::GiveFloor, Outcome::Floor("b".into()), 4, 5, t0),
        ];
        assert!(check(&history, Model::default()).order.is_none());
        let fair =
            [history[0].clone(), history[1].clone(), call(2, Op::GiveFloor, Outcome::Floor("a".into()), 4, 5, t0)];
        assert!(check(&fair, Model::default()).order.is_some());
    }
}
