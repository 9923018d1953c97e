//! The transfer (mutasi) state machine: draft → approved → completed, and
//! cancelled from any state but cancelled (with a reason).

use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferState {
    Draft,
    Approved,
    Completed,
    Cancelled,
}

stored_as!(TransferState {
    Draft => "draft",
    Approved => "approved",
    Completed => "completed",
    Cancelled => "cancelled",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferAction {
    Edit,
    Approve,
    Complete,
    Cancel,
}

impl TransferState {
    pub fn label_id(self) -> &'static str {
        match self {
            TransferState::Draft => "Draf",
            TransferState::Approved => "Disetujui",
            TransferState::Completed => "Selesai",
            TransferState::Cancelled => "Dibatalkan",
        }
    }

    /// The state after `action`, or a precise refusal.
    pub fn apply(self, action: TransferAction) -> Result<TransferState, AppError> {
        use TransferAction as A;
        use TransferState as S;
        match (self, action) {
            (S::Draft, A::Edit) => Ok(S::Draft),
            (S::Draft, A::Approve) => Ok(S::Approved),
            (S::Approved, A::Complete) => Ok(S::Completed),
            (S::Draft | S::Approved | S::Completed, A::Cancel) => Ok(S::Cancelled),
            (from, action) => {
                let (verb_id, verb_en) = match action {
                    A::Edit => ("diubah", "edited"),
                    A::Approve => ("disetujui", "approved"),
                    A::Complete => ("diselesaikan", "completed"),
                    A::Cancel => ("dibatalkan", "cancelled"),
                };
                Err(AppError::conflict(
                    format!("Mutasi berstatus {} tidak dapat {verb_id}", from.label_id()),
                    format!("A transfer in state {} cannot be {verb_en}", from.as_str()),
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{TransferAction as A, TransferState as S};

    #[test]
    fn follows_the_state_machine() {
        assert_eq!(S::Draft.apply(A::Approve).unwrap(), S::Approved);
        assert_eq!(S::Approved.apply(A::Complete).unwrap(), S::Completed);
        assert_eq!(S::Completed.apply(A::Cancel).unwrap(), S::Cancelled);
        assert_eq!(S::Draft.apply(A::Cancel).unwrap(), S::Cancelled);
    }

    #[test]
    fn refuses_skips_and_reversals_with_a_reason() {
        let e = S::Draft.apply(A::Complete).unwrap_err();
        assert_eq!(
            e.message("id"),
            "Mutasi berstatus Draf tidak dapat diselesaikan"
        );
        assert_eq!(e.status_code(), 409);
        assert!(S::Approved.apply(A::Edit).is_err());
        assert!(S::Cancelled.apply(A::Cancel).is_err());
        assert!(S::Completed.apply(A::Approve).is_err());
        for s in [S::Draft, S::Approved, S::Completed, S::Cancelled] {
            assert_eq!(S::parse(s.as_str()), Some(s));
        }
    }
}
