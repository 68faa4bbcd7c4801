//! Quotas: how much one organisation or one delegation may hold, so that none of them can fill the
//! database, the secretariat's review queue or the portal on its own (issue 12 measured 500
//! representatives in 2 s, 10 × 10 MiB statements in 0.6 s, 100 objections in 0.5 s). The server
//! counts what is already stored, in SQL, in the transaction of the write; these are the limits
//! and the sentence a refusal carries.

/// What a quota counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Quota {
    /// An organisation's representatives active at once (revoked ones do not count).
    Representatives,
    /// The materials an organisation provides to the meetings of its process.
    Materials,
    /// The written statements an organisation submits to its process.
    Statements,
    /// The bytes an organisation uploads, materials and statements' PDFs together.
    Bytes,
    /// The objections a member state's delegation lodges in one process.
    Objections,
    /// A delegation's experts active at once in one process (withdrawn ones do not count).
    Experts,
}

/// The limits of every quota. The defaults are what a real process would accept: well above what
/// the largest organisations and delegations used in the working groups Rostrum is modelled on,
/// and far below what fills a disk or buries the secretariat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quotas {
    /// Representatives an accredited organisation has at once (default 20: organisations send a
    /// handful, and a revoked one frees its place).
    pub representatives: u64,
    /// Materials an organisation provides across the meetings of its process (default 50).
    pub materials: u64,
    /// Written statements an organisation submits to its process (default 20).
    pub statements: u64,
    /// Bytes an organisation uploads across materials and statements' PDFs (default 100 MiB: ten
    /// files of the largest size taken).
    pub bytes: u64,
    /// Objections a delegation lodges in one process (default 50).
    pub objections: u64,
    /// Experts a delegation has at once in one process (default 20).
    pub experts: u64,
}

impl Default for Quotas {
    fn default() -> Self {
        Quotas {
            representatives: 20,
            materials: 50,
            statements: 20,
            bytes: 100 * 1024 * 1024,
            objections: 50,
            experts: 20,
        }
    }
}

impl Quotas {
    /// The limit of `quota`.
    pub fn limit(&self, quota: Quota) -> Limit {
        let max = match quota {
            Quota::Representatives => self.representatives,
            Quota::Materials => self.materials,
            Quota::Statements => self.statements,
            Quota::Bytes => self.bytes,
            Quota::Objections => self.objections,
            Quota::Experts => self.experts,
        };
        Limit { quota, max }
    }
}

/// One quota and its number, as a write checks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// What is counted.
    pub quota: Quota,
    /// How much of it may be held.
    pub max: u64,
}

impl Limit {
    /// Whether holding `used` and adding `adding` stays within the limit.
    pub fn allows(&self, used: u64, adding: u64) -> bool {
        used.saturating_add(adding) <= self.max
    }

    /// Why a write over the limit was refused, naming the quota and its number.
    pub fn message(&self) -> String {
        let max = self.max;
        let name: &str = self.quota.into();
        let what = match self.quota {
            Quota::Representatives => {
                format!("An organisation has at most {max} representatives at once; revoke one before adding another")
            }
            Quota::Materials => {
                format!("An organisation provides at most {max} materials to the meetings of a process")
            }
            Quota::Statements => format!("An organisation submits at most {max} written statements to a process"),
            Quota::Bytes => format!(
                "An organisation uploads at most {} MiB ({max} bytes) across materials and statements",
                max / (1024 * 1024)
            ),
            Quota::Objections => format!("A delegation lodges at most {max} objections in a process"),
            Quota::Experts => {
                format!(
                    "A delegation has at most {max} experts at once in a process; withdraw one before inviting another"
                )
            }
        };
        format!("{what} (quota {name}: {max}). Nothing was stored.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_allows_up_to_its_number_and_not_one_more() {
        let limit = Quotas::default().limit(Quota::Representatives);
        assert!(limit.allows(19, 1));
        assert!(!limit.allows(20, 1));
        assert!(!limit.allows(u64::MAX, 1), "no overflow");
    }

    #[test]
    fn a_refusal_names_the_quota_and_its_number() {
        let message = Quotas::default().limit(Quota::Objections).message();
        assert!(message.contains("quota objections: 50"), "{message}");
    }
}
