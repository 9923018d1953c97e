//! The core domain: positions, transfers, courses, plan rules (with version
//! history), plans, assignments, completion records, adaptation check-ins and
//! the audit trail. Enumerations are stored as short lowercase strings and
//! validated in the application, so SQLite and PostgreSQL behave the same.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Units {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Employees {
    Table,
    Id,
    Golongan,
    Language,
    PositionId,
    SupervisorId,
}

#[derive(DeriveIden)]
enum Positions {
    Table,
    Id,
    Name,
    Kind,
    JobFamily,
    Competencies,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Transfers {
    Table,
    Id,
    EmployeeId,
    FromUnitId,
    FromPositionId,
    ToUnitId,
    ToPositionId,
    SkNumber,
    SkDate,
    Tmt,
    TransferType,
    Notes,
    State,
    CancelReason,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Courses {
    Table,
    Id,
    Code,
    TitleId,
    TitleEn,
    DescriptionId,
    DescriptionEn,
    Competency,
    Jp,
    Method,
    Provider,
    ValidityMonths,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PlanRules {
    Table,
    Id,
    Name,
    Active,
    CurrentVersion,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PlanRuleVersions {
    Table,
    Id,
    RuleId,
    Version,
    Name,
    Active,
    Criteria,
    Items,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Plans {
    Table,
    Id,
    Kind,
    TransferId,
    EmployeeId,
    State,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Assignments {
    Table,
    Id,
    PlanId,
    EmployeeId,
    CourseId,
    DueDate,
    Required,
    SortOrder,
    State,
    Reasons,
    RecognisedRecordId,
    CompletionId,
    WaivedReason,
    WaivedBy,
    CancelReason,
    RenewalOfRecordId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Completions {
    Table,
    Id,
    EmployeeId,
    CourseId,
    CompletedOn,
    Jp,
    Score,
    CertificateNo,
    Organiser,
    EvidenceNote,
    LoggedBy,
    VerifiedBy,
    Source,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Checkins {
    Table,
    Id,
    TransferId,
    DayOffset,
    DueDate,
    Rating,
    Notes,
    WrittenBy,
    WrittenAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    Actor,
    Action,
    Entity,
    EntityId,
    Before,
    After,
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

fn index(name: &str, table: impl IntoIden, cols: &[&'static str]) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(Alias::new(*c));
    }
    i.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Positions::Table)
                .col(big_integer(Positions::Id).auto_increment().primary_key())
                .col(string_len(Positions::Name, 200))
                .col(string_len(Positions::Kind, 20))
                .col(string_len(Positions::JobFamily, 60))
                .col(text(Positions::Competencies).default("[]"))
                .col(timestamp_with_time_zone(Positions::CreatedAt))
                .to_owned(),
        )
        .await?;

        // New employee columns, one statement each (SQLite alters one column at a time).
        for col in [
            ColumnDef::new(Employees::Golongan)
                .string_len(6)
                .null()
                .to_owned(),
            ColumnDef::new(Employees::Language)
                .string_len(2)
                .not_null()
                .default("id")
                .to_owned(),
            ColumnDef::new(Employees::PositionId)
                .big_integer()
                .null()
                .to_owned(),
            ColumnDef::new(Employees::SupervisorId)
                .big_integer()
                .null()
                .to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Employees::Table)
                    .add_column(col)
                    .to_owned(),
            )
            .await?;
        }
        m.create_index(index(
            "idx_employees_position",
            Employees::Table,
            &["position_id"],
        ))
        .await?;
        m.create_index(index(
            "idx_employees_supervisor",
            Employees::Table,
            &["supervisor_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Transfers::Table)
                .col(big_integer(Transfers::Id).auto_increment().primary_key())
                .col(big_integer(Transfers::EmployeeId))
                .col(big_integer_null(Transfers::FromUnitId))
                .col(big_integer_null(Transfers::FromPositionId))
                .col(big_integer(Transfers::ToUnitId))
                .col(big_integer(Transfers::ToPositionId))
                .col(string_len(Transfers::SkNumber, 100))
                .col(date(Transfers::SkDate))
                .col(date(Transfers::Tmt))
                .col(string_len(Transfers::TransferType, 20))
                .col(text(Transfers::Notes).default(""))
                .col(string_len(Transfers::State, 12))
                .col(text_null(Transfers::CancelReason))
                .col(timestamp_with_time_zone(Transfers::CreatedAt))
                .col(timestamp_with_time_zone(Transfers::UpdatedAt))
                .foreign_key(&mut fk(
                    "fk_transfers_employee",
                    (Transfers::Table, Transfers::EmployeeId),
                    (Employees::Table, Employees::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_transfers_from_unit",
                    (Transfers::Table, Transfers::FromUnitId),
                    (Units::Table, Units::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_transfers_to_unit",
                    (Transfers::Table, Transfers::ToUnitId),
                    (Units::Table, Units::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_transfers_from_position",
                    (Transfers::Table, Transfers::FromPositionId),
                    (Positions::Table, Positions::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_transfers_to_position",
                    (Transfers::Table, Transfers::ToPositionId),
                    (Positions::Table, Positions::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idx_transfers_employee",
            Transfers::Table,
            &["employee_id"],
        ))
        .await?;
        m.create_index(index(
            "idx_transfers_state_tmt",
            Transfers::Table,
            &["state", "tmt"],
        ))
        .await?;
        m.create_index(index(
            "idx_transfers_sk",
            Transfers::Table,
            &["sk_number", "employee_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Courses::Table)
                .col(big_integer(Courses::Id).auto_increment().primary_key())
                .col(string_len(Courses::Code, 40).unique_key())
                .col(string_len(Courses::TitleId, 200))
                .col(string_len(Courses::TitleEn, 200))
                .col(text(Courses::DescriptionId).default(""))
                .col(text(Courses::DescriptionEn).default(""))
                .col(string_len(Courses::Competency, 20))
                .col(double(Courses::Jp))
                .col(string_len(Courses::Method, 12))
                .col(string_len(Courses::Provider, 200).default(""))
                .col(integer_null(Courses::ValidityMonths))
                .col(boolean(Courses::Active).default(true))
                .col(timestamp_with_time_zone(Courses::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PlanRules::Table)
                .col(big_integer(PlanRules::Id).auto_increment().primary_key())
                .col(string_len(PlanRules::Name, 200))
                .col(boolean(PlanRules::Active).default(true))
                .col(integer(PlanRules::CurrentVersion))
                .col(timestamp_with_time_zone(PlanRules::CreatedAt))
                .col(timestamp_with_time_zone(PlanRules::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PlanRuleVersions::Table)
                .col(
                    big_integer(PlanRuleVersions::Id)
                        .auto_increment()
                        .primary_key(),
                )
                .col(big_integer(PlanRuleVersions::RuleId))
                .col(integer(PlanRuleVersions::Version))
                .col(string_len(PlanRuleVersions::Name, 200))
                .col(boolean(PlanRuleVersions::Active))
                .col(text(PlanRuleVersions::Criteria))
                .col(text(PlanRuleVersions::Items))
                .col(string_len(PlanRuleVersions::CreatedBy, 100))
                .col(timestamp_with_time_zone(PlanRuleVersions::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_rule_versions_rule",
                    (PlanRuleVersions::Table, PlanRuleVersions::RuleId),
                    (PlanRules::Table, PlanRules::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "uq_rule_versions",
                PlanRuleVersions::Table,
                &["rule_id", "version"],
            )
            .unique()
            .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Plans::Table)
                .col(big_integer(Plans::Id).auto_increment().primary_key())
                // "transfer": generated from a completed transfer (one per transfer);
                // "renewal": an employee's recertification work, not tied to a transfer.
                .col(string_len(Plans::Kind, 12))
                .col(big_integer_null(Plans::TransferId).unique_key())
                .col(big_integer(Plans::EmployeeId))
                .col(string_len(Plans::State, 12))
                .col(timestamp_with_time_zone(Plans::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_plans_transfer",
                    (Plans::Table, Plans::TransferId),
                    (Transfers::Table, Transfers::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_plans_employee",
                    (Plans::Table, Plans::EmployeeId),
                    (Employees::Table, Employees::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("idx_plans_employee", Plans::Table, &["employee_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table(Completions::Table)
                .col(big_integer(Completions::Id).auto_increment().primary_key())
                .col(big_integer(Completions::EmployeeId))
                .col(big_integer(Completions::CourseId))
                .col(date(Completions::CompletedOn))
                .col(double(Completions::Jp))
                .col(double_null(Completions::Score))
                .col(string_len(Completions::CertificateNo, 100).default(""))
                .col(string_len(Completions::Organiser, 200).default(""))
                .col(text(Completions::EvidenceNote).default(""))
                .col(string_len(Completions::LoggedBy, 100))
                .col(string_len_null(Completions::VerifiedBy, 100))
                .col(string_len(Completions::Source, 20))
                .col(timestamp_with_time_zone(Completions::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_completions_employee",
                    (Completions::Table, Completions::EmployeeId),
                    (Employees::Table, Employees::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_completions_course",
                    (Completions::Table, Completions::CourseId),
                    (Courses::Table, Courses::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idx_completions_employee_course",
            Completions::Table,
            &["employee_id", "course_id", "completed_on"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Assignments::Table)
                .col(big_integer(Assignments::Id).auto_increment().primary_key())
                .col(big_integer(Assignments::PlanId))
                .col(big_integer(Assignments::EmployeeId))
                .col(big_integer(Assignments::CourseId))
                .col(date(Assignments::DueDate))
                .col(boolean(Assignments::Required))
                .col(integer(Assignments::SortOrder))
                .col(string_len(Assignments::State, 12))
                .col(text(Assignments::Reasons))
                .col(big_integer_null(Assignments::RecognisedRecordId))
                .col(big_integer_null(Assignments::CompletionId))
                .col(text_null(Assignments::WaivedReason))
                .col(string_len_null(Assignments::WaivedBy, 100))
                .col(text_null(Assignments::CancelReason))
                // A renewal names the completion it renews: at most one renewal per record.
                .col(big_integer_null(Assignments::RenewalOfRecordId).unique_key())
                .col(timestamp_with_time_zone(Assignments::CreatedAt))
                .col(timestamp_with_time_zone(Assignments::UpdatedAt))
                .foreign_key(&mut fk(
                    "fk_assignments_plan",
                    (Assignments::Table, Assignments::PlanId),
                    (Plans::Table, Plans::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_assignments_employee",
                    (Assignments::Table, Assignments::EmployeeId),
                    (Employees::Table, Employees::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_assignments_course",
                    (Assignments::Table, Assignments::CourseId),
                    (Courses::Table, Courses::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_assignments_recognised",
                    (Assignments::Table, Assignments::RecognisedRecordId),
                    (Completions::Table, Completions::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_assignments_completion",
                    (Assignments::Table, Assignments::CompletionId),
                    (Completions::Table, Completions::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "uq_assignments_plan_course",
                Assignments::Table,
                &["plan_id", "course_id"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idx_assignments_employee_state",
            Assignments::Table,
            &["employee_id", "state", "due_date"],
        ))
        .await?;
        m.create_index(index(
            "idx_assignments_course_state",
            Assignments::Table,
            &["course_id", "state"],
        ))
        .await?;
        m.create_index(index(
            "idx_assignments_state_due",
            Assignments::Table,
            &["state", "due_date"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Checkins::Table)
                .col(big_integer(Checkins::Id).auto_increment().primary_key())
                .col(big_integer(Checkins::TransferId))
                .col(integer(Checkins::DayOffset))
                .col(date(Checkins::DueDate))
                .col(string_len_null(Checkins::Rating, 20))
                .col(text(Checkins::Notes).default(""))
                .col(string_len_null(Checkins::WrittenBy, 100))
                .col(timestamp_with_time_zone_null(Checkins::WrittenAt))
                .foreign_key(&mut fk(
                    "fk_checkins_transfer",
                    (Checkins::Table, Checkins::TransferId),
                    (Transfers::Table, Transfers::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "uq_checkins_transfer_day",
                Checkins::Table,
                &["transfer_id", "day_offset"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.create_index(index("idx_checkins_due", Checkins::Table, &["due_date"]))
            .await?;

        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .col(big_integer(AuditLog::Id).auto_increment().primary_key())
                .col(timestamp_with_time_zone(AuditLog::At))
                .col(string_len(AuditLog::Actor, 100))
                .col(string_len(AuditLog::Action, 40))
                .col(string_len(AuditLog::Entity, 40))
                .col(big_integer(AuditLog::EntityId))
                .col(text_null(AuditLog::Before))
                .col(text_null(AuditLog::After))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idx_audit_entity",
            AuditLog::Table,
            &["entity", "entity_id", "id"],
        ))
        .await?;
        m.create_index(index("idx_audit_at", AuditLog::Table, &["at"]))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "audit_log",
            "checkins",
            "assignments",
            "completions",
            "plans",
            "plan_rule_versions",
            "plan_rules",
            "courses",
            "transfers",
        ] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        for (i, c) in [
            ("idx_employees_position", "position_id"),
            ("idx_employees_supervisor", "supervisor_id"),
        ] {
            m.drop_index(Index::drop().name(i).table(Employees::Table).to_owned())
                .await?;
            let _ = c;
        }
        for c in ["golongan", "language", "position_id", "supervisor_id"] {
            m.alter_table(
                Table::alter()
                    .table(Employees::Table)
                    .drop_column(Alias::new(c))
                    .to_owned(),
            )
            .await?;
        }
        m.drop_table(Table::drop().table(Positions::Table).to_owned())
            .await
    }
}
