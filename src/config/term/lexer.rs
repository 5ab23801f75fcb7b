//! Tokens of the term syntax. (To be written: see the term reader task.)
