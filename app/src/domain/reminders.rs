//! Which reminders are due: a pure function of the state and "now".
//! (Being written: see the reminders helper's commit.)
