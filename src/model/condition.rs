//! Conditions: `when: {question: answer}` on a paper, a channel line or a question, and what the
//! resident's answers make of them.
//!
//! A condition is a conjunction: every named question must have the named answer. A question may
//! itself carry a condition (it is only asked in that case), so a paper that names it also needs
//! that question's condition: [`closure`] gathers them all, and finds the conditions no answers
//! can ever meet.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::procedure::Question;

/// `question id → answer id`; all must hold.
pub type Condition = BTreeMap<String, String>;

/// Whether something conditional is needed, given the answers so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Applies {
    /// Needed by everyone.
    Always,
    /// Needed in a case the answers confirm.
    Confirmed,
    /// Needed only in a case the resident has not answered yet.
    IfCase,
    /// Not needed: an answer rules it out.
    No,
}

/// Why a condition can never hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Impossible {
    /// The question must have two different answers at once (`question`, one answer, the other).
    Conflict(String, String, String),
}

/// The condition with the conditions of every question it names, transitively: what must hold
/// for it to hold, given that a question is only asked when its own `when` holds. Questions not
/// in `questions` are kept as they are (the loader reports them). `Err` when two parts need
/// different answers to one question, so no answers can ever meet it.
pub fn closure(when: &Condition, questions: &[Question]) -> Result<Condition, Impossible> {
    let mut all = when.clone();
    let mut pending: Vec<String> = when.keys().cloned().collect();
    let mut seen = BTreeSet::new();
    while let Some(id) = pending.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let Some(question) = questions.iter().find(|q| q.id == id) else {
            continue;
        };
        for (asked, answer) in &question.when {
            match all.get(asked) {
                Some(other) if other != answer => {
                    return Err(Impossible::Conflict(
                        asked.clone(),
                        other.clone(),
                        answer.clone(),
                    ));
                }
                Some(_) => {}
                None => {
                    all.insert(asked.clone(), answer.clone());
                }
            }
            pending.push(asked.clone());
        }
    }
    Ok(all)
}

/// What `when` makes of the answers, `answer` giving the answer to a question id if any.
/// `questions` are the file's questions (for the conditions of questions themselves).
pub fn evaluate<'a>(
    when: &Condition,
    questions: &[Question],
    answer: impl Fn(&str) -> Option<&'a str>,
) -> Applies {
    if when.is_empty() {
        return Applies::Always;
    }
    let Ok(all) = closure(when, questions) else {
        return Applies::No;
    };
    let mut all_answered = true;
    for (question, wanted) in &all {
        match answer(question) {
            Some(given) if given != wanted => return Applies::No,
            Some(_) => {}
            None => all_answered = false,
        }
    }
    if all_answered {
        Applies::Confirmed
    } else {
        Applies::IfCase
    }
}

/// The question ids that `question` is asked after, through the `when` of questions, when this
/// chain comes back to `question` itself (a question that can never be asked).
pub fn cycle(question: &str, questions: &[Question]) -> Option<Vec<String>> {
    fn walk(
        at: &str,
        target: &str,
        questions: &[Question],
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        let Some(q) = questions.iter().find(|q| q.id == at) else {
            return false;
        };
        for next in q.when.keys() {
            path.push(next.clone());
            if next == target {
                return true;
            }
            if seen.insert(next.clone()) && walk(next, target, questions, path, seen) {
                return true;
            }
            path.pop();
        }
        false
    }
    let mut path = vec![question.to_string()];
    let mut seen = BTreeSet::new();
    walk(question, question, questions, &mut path, &mut seen).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AnswerOption;

    fn condition(pairs: &[(&str, &str)]) -> Condition {
        pairs
            .iter()
            .map(|(q, a)| (q.to_string(), a.to_string()))
            .collect()
    }

    fn question(id: &str, when: &[(&str, &str)]) -> Question {
        Question {
            id: id.into(),
            text: format!("{id}?"),
            options: Vec::<AnswerOption>::new(),
            when: condition(when),
        }
    }

    fn eval(when: &Condition, questions: &[Question], given: &[(&str, &str)]) -> Applies {
        let given = condition(given);
        evaluate(when, questions, |q| given.get(q).map(String::as_str))
    }

    #[test]
    fn a_conjunction_follows_the_answers() {
        let questions = [question("tai_nha", &[]), question("lam_chung", &[])];
        let when = condition(&[("tai_nha", "co"), ("lam_chung", "co")]);
        assert_eq!(eval(&Condition::new(), &questions, &[]), Applies::Always);
        assert_eq!(eval(&when, &questions, &[]), Applies::IfCase);
        assert_eq!(
            eval(&when, &questions, &[("tai_nha", "co")]),
            Applies::IfCase
        );
        assert_eq!(
            eval(&when, &questions, &[("tai_nha", "co"), ("lam_chung", "co")]),
            Applies::Confirmed
        );
        assert_eq!(
            eval(&when, &questions, &[("tai_nha", "khong")]),
            Applies::No
        );
        // An answer to a question the condition does not name changes nothing.
        assert_eq!(
            eval(&when, &questions, &[("khac", "co"), ("lam_chung", "co")]),
            Applies::IfCase
        );
    }

    #[test]
    fn a_question_asked_only_in_a_case_brings_its_case_along() {
        // `lam_chung` is only asked when the child was not born in a clinic.
        let questions = [
            question("co_so_y_te", &[]),
            question("lam_chung", &[("co_so_y_te", "khong")]),
        ];
        let when = condition(&[("lam_chung", "co")]);
        assert_eq!(
            closure(&when, &questions).unwrap(),
            condition(&[("co_so_y_te", "khong"), ("lam_chung", "co")])
        );
        assert_eq!(
            eval(&when, &questions, &[("lam_chung", "co")]),
            Applies::IfCase
        );
        assert_eq!(
            eval(
                &when,
                &questions,
                &[("co_so_y_te", "co"), ("lam_chung", "co")]
            ),
            Applies::No
        );
        assert_eq!(
            eval(
                &when,
                &questions,
                &[("co_so_y_te", "khong"), ("lam_chung", "co")]
            ),
            Applies::Confirmed
        );
    }

    #[test]
    fn a_condition_against_a_question_s_own_case_can_never_hold() {
        let questions = [
            question("co_so_y_te", &[]),
            question("lam_chung", &[("co_so_y_te", "khong")]),
        ];
        let when = condition(&[("co_so_y_te", "co"), ("lam_chung", "co")]);
        assert_eq!(
            closure(&when, &questions),
            Err(Impossible::Conflict(
                "co_so_y_te".into(),
                "co".into(),
                "khong".into()
            ))
        );
        assert_eq!(
            eval(&when, &questions, &[("co_so_y_te", "co")]),
            Applies::No
        );
        assert_eq!(eval(&when, &questions, &[]), Applies::No);
    }

    #[test]
    fn questions_asked_after_each_other_in_a_circle_are_found() {
        let questions = [
            question("a", &[("b", "co")]),
            question("b", &[("c", "co")]),
            question("c", &[("a", "khong")]),
            question("d", &[("a", "co")]),
        ];
        assert_eq!(cycle("a", &questions).unwrap(), ["a", "b", "c", "a"]);
        assert_eq!(cycle("d", &questions), None);
    }
}
