//! The 21 sections of the Harmonized System (World Customs Organization nomenclature), by
//! chapter, for sector views.
//!
//! ```
//! use quid_core::HsCode;
//! use quid_econ::sections::{section_of, SECTION_TITLES};
//! let hs: HsCode = "7208.10.15.00".parse().unwrap();
//! let section = section_of(hs.chapter()).unwrap();
//! assert_eq!(section, 15);
//! let title = SECTION_TITLES[usize::from(section) - 1];
//! assert_eq!(title, "XV Base metals (steel, aluminum, copper)");
//! assert_eq!(section_of(99), None); // Chapter 99 is national, in no section
//! ```

/// Section number (1-21) of an HS chapter (1-97); chapters 98-99 (national) have none.
pub fn section_of(chapter: u8) -> Option<u8> {
    Some(match chapter {
        1..=5 => 1,
        6..=14 => 2,
        15 => 3,
        16..=24 => 4,
        25..=27 => 5,
        28..=38 => 6,
        39..=40 => 7,
        41..=43 => 8,
        44..=46 => 9,
        47..=49 => 10,
        50..=63 => 11,
        64..=67 => 12,
        68..=70 => 13,
        71 => 14,
        72..=83 => 15,
        84..=85 => 16,
        86..=89 => 17,
        90..=92 => 18,
        93 => 19,
        94..=96 => 20,
        97 => 21,
        _ => return None,
    })
}

/// A short title of each section (index = section number - 1).
pub const SECTION_TITLES: [&str; 21] = [
    "I Live animals, animal products",
    "II Vegetable products",
    "III Fats and oils",
    "IV Prepared foodstuffs, beverages, tobacco",
    "V Mineral products (incl. energy)",
    "VI Chemicals",
    "VII Plastics and rubber",
    "VIII Hides, leather",
    "IX Wood",
    "X Pulp and paper",
    "XI Textiles",
    "XII Footwear, headgear",
    "XIII Stone, ceramics, glass",
    "XIV Precious metals",
    "XV Base metals (steel, aluminum, copper)",
    "XVI Machinery, electrical equipment",
    "XVII Vehicles, aircraft",
    "XVIII Instruments",
    "XIX Arms",
    "XX Miscellaneous manufactures",
    "XXI Works of art",
];
