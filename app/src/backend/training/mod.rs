//! Training: the catalogue (courses, plan rules), assignments and the
//! completions that become training history, the employee's own view
//! (`my_training`), the trainer's desk (`trainer`) and calendar feeds.

pub mod assignments;
pub mod calendar;
pub mod catalogue;
pub mod my_training;
pub mod trainer;
