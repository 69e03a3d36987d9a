//! Stable diagnostic codes: each crate lists the codes it raises with
//! [`codes!`](crate::codes), which also gives the crate's `ALL` table, so the
//! documentation of every code is generated from the same list.

/// One diagnostic code and what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub id: &'static str,
    pub meaning: &'static str,
}

impl Code {
    /// The meaning as one line: the doc comment's lines joined.
    pub fn summary(&self) -> String {
        self.meaning
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Declares a crate's codes, each with a doc comment saying when it is
/// raised, as `pub const NAME: &str`, and `pub const ALL: &[Code]` in order.
/// Tools match on the ids: never rename one.
#[macro_export]
macro_rules! codes {
    ($( $(#[doc = $doc:literal])+ $name:ident = $id:literal; )*) => {
        $( $(#[doc = $doc])+ pub const $name: &str = $id; )*

        /// Every code this crate raises, in the order declared.
        pub const ALL: &[$crate::Code] = &[
            $( $crate::Code { id: $id, meaning: concat!($($doc, "\n"),+) } ),*
        ];
    };
}

#[cfg(test)]
mod tests {
    mod sample {
        crate::codes! {
            /// The first.
            FIRST = "first";
            /// The second,
            /// on two lines.
            SECOND = "second";
        }
    }

    #[test]
    fn constants_and_table_come_from_one_list() {
        assert_eq!((sample::FIRST, sample::SECOND), ("first", "second"));
        let summaries: Vec<(&str, String)> = (sample::ALL.iter())
            .map(|code| (code.id, code.summary()))
            .collect();
        assert_eq!(
            summaries,
            [
                ("first", "The first.".to_owned()),
                ("second", "The second, on two lines.".to_owned())
            ]
        );
    }
}
