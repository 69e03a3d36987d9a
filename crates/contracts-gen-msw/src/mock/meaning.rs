//! Values chosen by meaning: what a property's name, or its parent's, says
//! it holds (a person's name, a city, a price), drawn from `fake`'s data so
//! a UI built on the mocks looks like the product. The caller still fits
//! every value to its schema (lengths, bounds); a `pattern`, `format`,
//! `enum` or example wins over a name.

use fake::Fake;
use fake::faker::address::raw::{
    BuildingNumber, CityName, CountryCode, CountryName, SecondaryAddress, StateName, StreetName,
    ZipCode,
};
use fake::faker::company::raw::CompanyName;
use fake::faker::currency::raw::CurrencyCode;
use fake::faker::impls::address::CityNameGenFn;
use fake::faker::internet::raw::{SafeEmail, Username};
use fake::faker::lorem::raw::{Sentence, Word, Words};
use fake::faker::name::raw::{FirstName, LastName, Name};
use fake::faker::phone_number::raw::PhoneNumber;
use fake::locales::{
    AR_SA, CY_GB, DE_DE, Data, EN, FA_IR, FR_FR, IT_IT, JA_JP, NL_NL, PT_BR, PT_PT, TR_TR, ZH_CN,
    ZH_TW,
};
use rand::rngs::StdRng;

/// The language of mock values: `fake`'s locales, by their names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    En,
    FrFr,
    DeDe,
    ItIt,
    NlNl,
    PtBr,
    PtPt,
    JaJp,
    ZhCn,
    ZhTw,
    ArSa,
    TrTr,
    FaIr,
    CyGb,
}

impl Locale {
    /// Every locale with its name (`[generate.msw] locale`, `--locale`).
    pub const ALL: [(&'static str, Locale); 14] = [
        ("en", Locale::En),
        ("fr_fr", Locale::FrFr),
        ("de_de", Locale::DeDe),
        ("it_it", Locale::ItIt),
        ("nl_nl", Locale::NlNl),
        ("pt_br", Locale::PtBr),
        ("pt_pt", Locale::PtPt),
        ("ja_jp", Locale::JaJp),
        ("zh_cn", Locale::ZhCn),
        ("zh_tw", Locale::ZhTw),
        ("ar_sa", Locale::ArSa),
        ("tr_tr", Locale::TrTr),
        ("fa_ir", Locale::FaIr),
        ("cy_gb", Locale::CyGb),
    ];

    /// The locale called `name` (case and `-`/`_` as written: `fr_FR`, `fr-fr`).
    pub fn named(name: &str) -> Option<Locale> {
        let name = name.to_ascii_lowercase().replace('-', "_");
        (Self::ALL.iter())
            .find(|(known, _)| *known == name)
            .map(|(_, locale)| *locale)
    }
}

/// What a string property holds, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Text {
    Email,
    FirstName,
    LastName,
    PersonName,
    Username,
    Phone,
    Street,
    SecondaryAddress,
    City,
    Region,
    PostalCode,
    CountryCode,
    Country,
    Company,
    Currency,
    Url,
    ImageUrl,
    Identifier,
    Title,
    Description,
    /// A thing's name (a product, a tag): a few words.
    Label,
    Word,
}

/// What a number property holds, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Quantity {
    Money,
    Count,
    Age,
}

/// Words a property's name is made of, lower case: `recipientName`,
/// `recipient_name` and `RecipientName` are `["recipient", "name"]`.
fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            words.extend((!current.is_empty()).then(|| std::mem::take(&mut current)));
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_lowercase());
    }
    words.extend((!current.is_empty()).then_some(current));
    words
}

/// Parents whose `name` is a person's.
const PEOPLE: [&str; 14] = [
    "user",
    "person",
    "customer",
    "recipient",
    "author",
    "owner",
    "member",
    "contact",
    "employee",
    "account",
    "profile",
    "sender",
    "buyer",
    "assignee",
];

impl Text {
    /// What a string called `property` inside `parent` holds, if its name says.
    pub(super) fn of(property: &str, parent: Option<&str>) -> Option<Text> {
        let words = words(property);
        let has = |w: &str| words.iter().any(|word| word == w);
        let last = words.last().map(String::as_str).unwrap_or_default();
        // Read only for a bare `name`: most names never need it.
        let parent_is_person = || {
            parent.is_some_and(|parent| {
                let parent = self::words(parent);
                parent.iter().any(|word| PEOPLE.contains(&word.as_str()))
            })
        };
        Some(match last {
            _ if has("email") || last == "mail" => Text::Email,
            "url" | "uri" | "href" | "link" | "website" | "homepage"
                if has("avatar")
                    || has("image")
                    || has("photo")
                    || has("picture")
                    || has("thumbnail")
                    || has("logo") =>
            {
                Text::ImageUrl
            }
            "avatar" | "image" | "photo" | "picture" | "thumbnail" | "logo" => Text::ImageUrl,
            "url" | "uri" | "href" | "link" | "website" | "homepage" => Text::Url,
            "firstname" | "forename" => Text::FirstName,
            "lastname" | "surname" => Text::LastName,
            "name" if has("first") || has("given") => Text::FirstName,
            "name" if has("last") || has("family") => Text::LastName,
            "name"
                if has("full")
                    || has("display")
                    || words.len() > 1 && PEOPLE.contains(&words[0].as_str()) =>
            {
                Text::PersonName
            }
            "name" if has("company") || has("organization") || has("business") => Text::Company,
            "name" if words.len() > 1 && (has("city") || has("town")) => Text::City,
            "name" if words.len() > 1 && has("country") => Text::Country,
            "name" if parent_is_person() => Text::PersonName,
            "name" | "label" => Text::Label,
            "username" | "login" | "handle" | "nickname" => Text::Username,
            "phone" | "mobile" | "telephone" | "tel" | "fax" => Text::Phone,
            "number" if has("phone") || has("mobile") => Text::Phone,
            "street" | "line1" | "address1" => Text::Street,
            "line" if has("address") => Text::Street,
            "line2" | "address2" => Text::SecondaryAddress,
            "address" => Text::Street,
            "city" | "town" | "locality" => Text::City,
            "state" | "region" | "province" | "county" => Text::Region,
            "zip" | "zipcode" | "postcode" | "postal" => Text::PostalCode,
            "code" if has("postal") || has("zip") || has("post") => Text::PostalCode,
            "code" if has("country") => Text::CountryCode,
            "country" => Text::Country,
            "company" | "organization" | "organisation" | "employer" => Text::Company,
            "currency" => Text::Currency,
            "code" if has("currency") => Text::Currency,
            "id" | "uid" | "key" | "slug" | "sku" | "ref" | "reference" => Text::Identifier,
            "title" | "subject" | "headline" | "caption" => Text::Title,
            "description" | "summary" | "comment" | "note" | "notes" | "bio" | "body"
            | "message" | "text" | "content" | "details" | "reason" => Text::Description,
            _ => return None,
        })
    }

    /// A value of this meaning in `locale`.
    pub(super) fn draw(self, locale: Locale, rng: &mut StdRng) -> String {
        match locale {
            Locale::En => self.draw_in(EN, rng),
            Locale::FrFr => self.draw_in(FR_FR, rng),
            Locale::DeDe => self.draw_in(DE_DE, rng),
            Locale::ItIt => self.draw_in(IT_IT, rng),
            Locale::NlNl => self.draw_in(NL_NL, rng),
            Locale::PtBr => self.draw_in(PT_BR, rng),
            Locale::PtPt => self.draw_in(PT_PT, rng),
            Locale::JaJp => self.draw_in(JA_JP, rng),
            Locale::ZhCn => self.draw_in(ZH_CN, rng),
            Locale::ZhTw => self.draw_in(ZH_TW, rng),
            Locale::ArSa => self.draw_in(AR_SA, rng),
            Locale::TrTr => self.draw_in(TR_TR, rng),
            Locale::FaIr => self.draw_in(FA_IR, rng),
            Locale::CyGb => self.draw_in(CY_GB, rng),
        }
    }

    fn draw_in<L: Data + CityNameGenFn + Copy>(self, l: L, rng: &mut StdRng) -> String {
        match self {
            // Addresses stay ASCII in every locale, as `format: email` and `uri` require.
            Text::Email => SafeEmail(EN).fake_with_rng(rng),
            Text::FirstName => FirstName(l).fake_with_rng(rng),
            Text::LastName => LastName(l).fake_with_rng(rng),
            Text::PersonName => Name(l).fake_with_rng(rng),
            Text::Username => Username(EN).fake_with_rng(rng),
            Text::Phone => PhoneNumber(l).fake_with_rng(rng),
            Text::Street => {
                let number: String = BuildingNumber(l).fake_with_rng(rng);
                let street: String = StreetName(l).fake_with_rng(rng);
                format!("{number} {street}")
            }
            Text::SecondaryAddress => SecondaryAddress(l).fake_with_rng(rng),
            Text::City => CityName(l).fake_with_rng(rng),
            Text::Region => StateName(l).fake_with_rng(rng),
            Text::PostalCode => ZipCode(l).fake_with_rng(rng),
            Text::CountryCode => CountryCode(l).fake_with_rng(rng),
            Text::Country => CountryName(l).fake_with_rng(rng),
            Text::Company => CompanyName(l).fake_with_rng(rng),
            Text::Currency => CurrencyCode(l).fake_with_rng(rng),
            Text::Url => {
                let word: String = Word(EN).fake_with_rng(rng);
                format!("https://example.com/{word}")
            }
            Text::ImageUrl => {
                let seed: u32 = (1..10_000).fake_with_rng(rng);
                format!("https://picsum.photos/seed/{seed}/200/200")
            }
            Text::Identifier => {
                let id: u64 = (0x1000_0000..0xffff_ffff_u64).fake_with_rng(rng);
                format!("{id:x}")
            }
            Text::Title => capitalized(
                Words(l, 2..5)
                    .fake_with_rng::<Vec<String>, _>(rng)
                    .join(" "),
            ),
            Text::Description => Sentence(l, 4..10).fake_with_rng(rng),
            Text::Label => capitalized(
                Words(l, 1..3)
                    .fake_with_rng::<Vec<String>, _>(rng)
                    .join(" "),
            ),
            Text::Word => Word(l).fake_with_rng(rng),
        }
    }
}

fn capitalized(text: String) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

impl Quantity {
    /// What a number called `property` holds, if its name says.
    pub(super) fn of(property: &str) -> Option<Quantity> {
        let words = words(property);
        let last = words.last().map(String::as_str).unwrap_or_default();
        Some(match last {
            "price" | "amount" | "cost" | "total" | "subtotal" | "fee" | "balance" | "tax"
            | "discount" | "salary" => Quantity::Money,
            "quantity" | "qty" | "count" | "stock" | "items" => Quantity::Count,
            "age" => Quantity::Age,
            _ => return None,
        })
    }

    /// The range a value of this meaning usually takes.
    pub(super) fn range(self) -> (f64, f64) {
        match self {
            Quantity::Money => (1.0, 500.0),
            Quantity::Count => (1.0, 10.0),
            Quantity::Age => (18.0, 80.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_word_by_word_in_every_case_style() {
        assert_eq!(words("recipientName"), ["recipient", "name"]);
        assert_eq!(words("postal_code"), ["postal", "code"]);
        assert_eq!(words("AvatarURL"), ["avatar", "url"]);
        assert_eq!(words("line1"), ["line1"]);
    }

    #[test]
    fn a_name_means_what_its_words_and_parent_say() {
        assert_eq!(Text::of("recipientName", None), Some(Text::PersonName));
        assert_eq!(Text::of("name", Some("User")), Some(Text::PersonName));
        assert_eq!(Text::of("name", Some("Product")), Some(Text::Label));
        assert_eq!(Text::of("firstName", None), Some(Text::FirstName));
        assert_eq!(Text::of("postalCode", None), Some(Text::PostalCode));
        assert_eq!(Text::of("countryCode", None), Some(Text::CountryCode));
        assert_eq!(Text::of("avatarUrl", None), Some(Text::ImageUrl));
        assert_eq!(Text::of("line1", None), Some(Text::Street));
        assert_eq!(Text::of("orderId", None), Some(Text::Identifier));
        assert_eq!(Text::of("status", None), None);
        assert_eq!(Quantity::of("unitPrice"), Some(Quantity::Money));
        assert_eq!(Quantity::of("quantity"), Some(Quantity::Count));
        assert_eq!(Quantity::of("page"), None);
    }
}
