//! Reading headers and labels in our users' languages: English, Hungarian, Spanish, Indonesian
//! and Polish. Headers are compared after [`normalise`], so "Ügyfél-azonosító", "ugyfel
//! azonosito" and "ÜGYFÉL_AZONOSÍTÓ" are the same header.

use super::fields::Field;
use crate::facts::ActivityKind;

/// Lower case, accents removed (ő → o, ł → l, ñ → n), every run of other characters one space.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = fold_accent(c);
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        } else {
            space = true;
        }
    }
    out
}

/// The base letter of the accented letters our users' languages write.
fn fold_accent(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'ą' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'ę' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ő' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'ű' => 'u',
        'ł' => 'l',
        'ñ' | 'ń' => 'n',
        'ś' => 's',
        'ź' | 'ż' => 'z',
        'ć' | 'ç' => 'c',
        _ => c,
    }
}

/// Header synonyms, normalised. A header matches a field when it equals a synonym, or failing
/// that when it contains one as whole words ("Net invoice amount" contains "amount"). Earlier
/// fields win a tie, so the more specific fields come first.
const SYNONYMS: &[(Field, &[&str])] = &[
    (
        Field::ReferrerId,
        &[
            "referrer",
            "referrer id",
            "referred by",
            "advocate",
            "ajanlo",
            "ajanlotta",
            "ajanlo ugyfel",
            "referente",
            "recomendado por",
            "referido por",
            "perujuk",
            "direferensikan oleh",
            "pemberi referensi",
            "polecajacy",
            "polecony przez",
            "polecil",
        ],
    ),
    (
        Field::ReferredId,
        &[
            "referred",
            "referred id",
            "referred customer",
            "new customer",
            "ajanlott",
            "ajanlott ugyfel",
            "uj ugyfel",
            "referido",
            "cliente referido",
            "cliente nuevo",
            "dirujuk",
            "pelanggan dirujuk",
            "pelanggan baru",
            "polecony",
            "polecony klient",
            "nowy klient",
        ],
    ),
    (
        Field::CameAnyway,
        &[
            "would have come anyway",
            "came anyway",
            "anyway",
            "organic",
            "amugy is jott volna",
            "amugy is",
            "de todos modos",
            "vendria de todos modos",
            "organico",
            "tetap datang",
            "organik",
            "i tak",
            "przyszedlby i tak",
            "organiczny",
        ],
    ),
    (
        Field::AcquisitionCost,
        &[
            "acquisition cost",
            "cost to acquire",
            "cac",
            "szerzesi koltseg",
            "akvizicios koltseg",
            "coste de adquisicion",
            "coste adquisicion",
            "costo de adquisicion",
            "biaya akuisisi",
            "koszt pozyskania",
        ],
    ),
    (
        Field::AcquiredOn,
        &[
            "acquired",
            "acquired on",
            "customer since",
            "client since",
            "start date",
            "ugyfel ota",
            "ugyfel kezdete",
            "kezdete",
            "cliente desde",
            "fecha de alta",
            "fecha alta",
            "pelanggan sejak",
            "tanggal bergabung",
            "klient od",
            "data pozyskania",
            "wspolpraca od",
        ],
    ),
    (
        Field::InvoiceNumber,
        &[
            "invoice",
            "invoice no",
            "invoice number",
            "invoice id",
            "invoice nr",
            "document",
            "document no",
            "szamla",
            "szamlaszam",
            "szamla szam",
            "szamla sorszam",
            "factura",
            "numero de factura",
            "numero factura",
            "n factura",
            "no factura",
            "faktur",
            "no faktur",
            "nomor faktur",
            "faktura",
            "numer faktury",
            "nr faktury",
        ],
    ),
    (
        Field::DueDate,
        &[
            "due",
            "due date",
            "due on",
            "payment due",
            "hatarido",
            "fizetesi hatarido",
            "esedekesseg",
            "vencimiento",
            "fecha de vencimiento",
            "fecha vencimiento",
            "jatuh tempo",
            "tanggal jatuh tempo",
            "termin",
            "termin platnosci",
        ],
    ),
    (
        Field::PaidDate,
        &[
            "paid",
            "paid on",
            "date paid",
            "payment date",
            "paid date",
            "fizetve",
            "fizetes datuma",
            "kiegyenlitve",
            "kiegyenlites",
            "fecha de pago",
            "fecha pago",
            "pagado",
            "tanggal bayar",
            "tanggal pembayaran",
            "dibayar",
            "zaplacono",
            "data zaplaty",
            "data platnosci",
        ],
    ),
    (
        Field::Discount,
        &[
            "discount",
            "rebate",
            "engedmeny",
            "kedvezmeny",
            "descuento",
            "diskon",
            "potongan",
            "rabat",
            "upust",
        ],
    ),
    (
        Field::Cost,
        &[
            "cost",
            "cogs",
            "cost of goods",
            "cost of goods sold",
            "cost of sales",
            "onkoltseg",
            "bekerulesi ertek",
            "beszerzesi ar",
            "elabe",
            "coste",
            "costo",
            "coste de ventas",
            "costo de ventas",
            "hpp",
            "harga pokok",
            "biaya pokok",
            "koszt",
            "koszt wlasny",
            "koszt sprzedazy",
        ],
    ),
    (
        Field::Hours,
        &[
            "hours",
            "hrs",
            "hour",
            "time spent",
            "duration",
            "ora",
            "orak",
            "oraszam",
            "munkaora",
            "horas",
            "tiempo",
            "jam",
            "durasi",
            "jumlah jam",
            "godziny",
            "godzin",
            "liczba godzin",
            "czas",
        ],
    ),
    (
        Field::Role,
        &[
            "role",
            "employee role",
            "position",
            "job",
            "munkakor",
            "szerepkor",
            "beosztas",
            "rol",
            "puesto",
            "cargo",
            "peran",
            "jabatan",
            "posisi",
            "rola",
            "stanowisko",
        ],
    ),
    (
        Field::Activity,
        &[
            "activity",
            "task",
            "description",
            "work",
            "tevekenyseg",
            "feladat",
            "leiras",
            "actividad",
            "tarea",
            "descripcion",
            "aktivitas",
            "kegiatan",
            "tugas",
            "keterangan",
            "czynnosc",
            "zadanie",
            "opis",
        ],
    ),
    (
        Field::Kind,
        &[
            "kind",
            "type",
            "activity type",
            "event",
            "tipus",
            "fajta",
            "esemeny",
            "tipo",
            "tipo de actividad",
            "jenis",
            "tipe",
            "jenis aktivitas",
            "rodzaj",
            "typ",
        ],
    ),
    (
        Field::Count,
        &[
            "count",
            "number",
            "qty",
            "quantity",
            "times",
            "darab",
            "db",
            "darabszam",
            "mennyiseg",
            "cantidad",
            "veces",
            "banyaknya",
            "kuantitas",
            "frekuensi",
            "liczba",
            "ilosc",
        ],
    ),
    (
        Field::CountOf(ActivityKind::Visit),
        &[
            "visits",
            "visit",
            "sales visits",
            "latogatas",
            "latogatasok",
            "visitas",
            "visita",
            "kunjungan",
            "wizyty",
            "wizyta",
        ],
    ),
    (
        Field::CountOf(ActivityKind::Ticket),
        &[
            "tickets",
            "ticket",
            "support tickets",
            "hibajegy",
            "hibajegyek",
            "jegyek",
            "bejelentes",
            "incidencias",
            "incidencia",
            "tiket",
            "keluhan",
            "zgloszenia",
            "zgloszenie",
        ],
    ),
    (
        Field::CountOf(ActivityKind::Order),
        &[
            "orders",
            "order",
            "rendeles",
            "rendelesek",
            "pedidos",
            "pedido",
            "pesanan",
            "zamowienia",
            "zamowienie",
        ],
    ),
    (
        Field::CountOf(ActivityKind::Delivery),
        &[
            "deliveries",
            "delivery",
            "shipments",
            "szallitas",
            "szallitasok",
            "entregas",
            "entrega",
            "envios",
            "pengiriman",
            "dostawy",
            "dostawa",
        ],
    ),
    (
        Field::CountOf(ActivityKind::Return),
        &[
            "returns",
            "return",
            "visszaru",
            "visszakuldes",
            "devoluciones",
            "devolucion",
            "retur",
            "pengembalian",
            "zwroty",
            "zwrot",
        ],
    ),
    (
        Field::CountOf(ActivityKind::CaseStudy),
        &[
            "case studies",
            "case study",
            "esettanulmany",
            "esettanulmanyok",
            "casos de estudio",
            "caso de estudio",
            "studi kasus",
            "studia przypadku",
            "studium przypadku",
        ],
    ),
    (
        Field::CountOf(ActivityKind::Reference),
        &[
            "references",
            "reference",
            "referencia",
            "referenciak",
            "referencias",
            "referensi",
            "referencje",
            "referencja",
        ],
    ),
    (
        Field::Date,
        &[
            "date",
            "invoice date",
            "issue date",
            "datum",
            "kelt",
            "kelte",
            "szamla kelte",
            "kiallitas datuma",
            "teljesites",
            "teljesites datuma",
            "fecha",
            "fecha de factura",
            "fecha factura",
            "fecha de emision",
            "tanggal",
            "tanggal faktur",
            "tgl",
            "data",
            "data faktury",
            "data wystawienia",
            "data sprzedazy",
            "month",
            "honap",
            "mes",
            "bulan",
            "miesiac",
            "period",
            "idoszak",
            "periodo",
            "periode",
            "okres",
        ],
    ),
    (
        Field::Amount,
        &[
            "amount",
            "net amount",
            "net",
            "revenue",
            "sales",
            "turnover",
            "total",
            "value",
            "invoice amount",
            "osszeg",
            "netto",
            "netto osszeg",
            "ertek",
            "arbevetel",
            "bevetel",
            "forgalom",
            "importe",
            "importe neto",
            "monto",
            "base imponible",
            "ingresos",
            "ventas",
            "facturacion",
            "jumlah",
            "nilai",
            "pendapatan",
            "penjualan",
            "omzet",
            "kwota",
            "kwota netto",
            "wartosc",
            "wartosc netto",
            "przychod",
            "przychody",
            "sprzedaz",
            "obrot",
        ],
    ),
    (
        Field::CustomerName,
        &[
            "name",
            "customer name",
            "client name",
            "company",
            "company name",
            "account name",
            "nev",
            "ugyfel neve",
            "ugyfelnev",
            "ugyfel nev",
            "cegnev",
            "vevo neve",
            "nombre",
            "nombre del cliente",
            "nombre cliente",
            "razon social",
            "empresa",
            "nama",
            "nama pelanggan",
            "perusahaan",
            "nazwa",
            "nazwa klienta",
            "firma",
            "nazwa firmy",
        ],
    ),
    (
        Field::CustomerId,
        &[
            "customer",
            "customer id",
            "customer no",
            "customer number",
            "customer code",
            "client",
            "client id",
            "account",
            "account id",
            "account no",
            "ugyfel",
            "ugyfel azonosito",
            "ugyfelkod",
            "ugyfel kod",
            "azonosito",
            "vevo",
            "vevokod",
            "vevo kod",
            "cliente",
            "id cliente",
            "id de cliente",
            "codigo cliente",
            "codigo de cliente",
            "pelanggan",
            "id pelanggan",
            "kode pelanggan",
            "klient",
            "id klienta",
            "kod klienta",
            "nr klienta",
            "kontrahent",
            "id",
            "code",
            "kod",
            "codigo",
            "kode",
        ],
    ),
    (
        Field::Attribute,
        &[
            "segment",
            "region",
            "rep",
            "sales rep",
            "account manager",
            "channel",
            "industry",
            "country",
            "city",
            "tier",
            "szegmens",
            "regio",
            "terulet",
            "ertekesito",
            "csatorna",
            "agazat",
            "orszag",
            "varos",
            "segmento",
            "vendedor",
            "canal",
            "sector",
            "pais",
            "ciudad",
            "segmen",
            "wilayah",
            "tenaga penjual",
            "saluran",
            "industri",
            "negara",
            "kota",
            "handlowiec",
            "kanal",
            "branza",
            "kraj",
            "miasto",
        ],
    ),
];

/// How well a header names a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Match {
    /// Contains a synonym as whole words.
    Partial,
    /// Is a synonym.
    Exact,
}

/// The field a header names, and how surely; `None` when no synonym fits.
pub fn field_of_header(header: &str) -> Option<(Field, Match)> {
    let h = normalise(header);
    if h.is_empty() {
        return None;
    }
    for (field, words) in SYNONYMS {
        if words.contains(&h.as_str()) {
            return Some((*field, Match::Exact));
        }
    }
    let padded = format!(" {h} ");
    // The longest synonym contained wins: "customer name" over "customer".
    SYNONYMS
        .iter()
        .flat_map(|(field, words)| words.iter().map(move |w| (*field, *w)))
        .filter(|(_, w)| padded.contains(&format!(" {w} ")))
        .max_by_key(|(_, w)| w.len())
        .map(|(field, _)| (field, Match::Partial))
}

/// Activity kinds as our users write them in a "type" column.
const KINDS: &[(ActivityKind, &[&str])] = &[
    (
        ActivityKind::Visit,
        &[
            "visit",
            "visits",
            "sales visit",
            "meeting",
            "latogatas",
            "visita",
            "visitas",
            "kunjungan",
            "wizyta",
            "wizyty",
        ],
    ),
    (
        ActivityKind::Ticket,
        &[
            "ticket",
            "tickets",
            "support ticket",
            "call",
            "complaint",
            "hibajegy",
            "jegy",
            "bejelentes",
            "panasz",
            "incidencia",
            "reclamacion",
            "llamada",
            "tiket",
            "keluhan",
            "panggilan",
            "zgloszenie",
            "reklamacja",
        ],
    ),
    (
        ActivityKind::Order,
        &[
            "order",
            "orders",
            "rendeles",
            "pedido",
            "pesanan",
            "zamowienie",
        ],
    ),
    (
        ActivityKind::Delivery,
        &[
            "delivery",
            "deliveries",
            "shipment",
            "szallitas",
            "entrega",
            "envio",
            "pengiriman",
            "dostawa",
        ],
    ),
    (
        ActivityKind::Return,
        &[
            "return",
            "returns",
            "visszaru",
            "visszakuldes",
            "devolucion",
            "retur",
            "pengembalian",
            "zwrot",
        ],
    ),
    (
        ActivityKind::CaseStudy,
        &[
            "case study",
            "case studies",
            "case_study",
            "esettanulmany",
            "caso de estudio",
            "caso de exito",
            "studi kasus",
            "studium przypadku",
        ],
    ),
    (
        ActivityKind::Reference,
        &[
            "reference",
            "references",
            "referencia",
            "referensi",
            "referencja",
            "rekomendacja",
        ],
    ),
];

/// The activity kind a cell names.
pub fn kind_of(text: &str) -> Option<ActivityKind> {
    let t = normalise(text);
    KINDS
        .iter()
        .find(|(_, words)| words.iter().any(|w| normalise(w) == t))
        .map(|(kind, _)| *kind)
}

/// A yes/no cell: yes, true, 1, x, igen, sí, ya, tak...; an empty cell is no.
pub fn flag_of(text: &str) -> Option<bool> {
    match normalise(text).as_str() {
        "" | "no" | "n" | "false" | "0" | "nem" | "tidak" | "nie" => Some(false),
        "yes" | "y" | "true" | "1" | "x" | "igen" | "i" | "si" | "s" | "ya" | "tak" | "t" => {
            Some(true)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_folds_case_accents_and_punctuation() {
        assert_eq!(normalise("Ügyfél-azonosító"), "ugyfel azonosito");
        assert_eq!(normalise("  KWOTA_NETTO (zł) "), "kwota netto zl");
        assert_eq!(normalise("Nº Factura"), "nº factura");
        assert_eq!(normalise("Fecha de emisión"), "fecha de emision");
    }

    #[test]
    fn headers_in_five_languages() {
        let exact =
            |h: &str, f: Field| assert_eq!(field_of_header(h), Some((f, Match::Exact)), "{h}");
        exact("Customer ID", Field::CustomerId);
        exact("Ügyfél", Field::CustomerId);
        exact("Cliente", Field::CustomerId);
        exact("Pelanggan", Field::CustomerId);
        exact("Klient", Field::CustomerId);
        exact("Kwota", Field::Amount);
        exact("Importe", Field::Amount);
        exact("Összeg", Field::Amount);
        exact("Jumlah", Field::Amount);
        exact("Számla kelte", Field::Date);
        exact("Fecha de vencimiento", Field::DueDate);
        exact("Tanggal Jatuh Tempo", Field::DueDate);
        exact("Data płatności", Field::PaidDate);
        exact("Munkaóra", Field::Hours);
        exact("Stanowisko", Field::Role);
        exact("Nazwa klienta", Field::CustomerName);
        exact("Szegmens", Field::Attribute);
        exact("Zgłoszenia", Field::CountOf(ActivityKind::Ticket));
        // Contained synonyms: the longest wins.
        assert_eq!(
            field_of_header("Net invoice amount (EUR)"),
            Some((Field::Amount, Match::Partial))
        );
        assert_eq!(
            field_of_header("Customer name (legal)"),
            Some((Field::CustomerName, Match::Partial))
        );
        assert_eq!(field_of_header("Colour"), None);
        assert_eq!(field_of_header(""), None);
    }

    #[test]
    fn kinds_and_flags() {
        assert_eq!(kind_of("Látogatás"), Some(ActivityKind::Visit));
        assert_eq!(kind_of("Zgłoszenie"), Some(ActivityKind::Ticket));
        assert_eq!(kind_of("case_study"), Some(ActivityKind::CaseStudy));
        assert_eq!(kind_of("Studi kasus"), Some(ActivityKind::CaseStudy));
        assert_eq!(kind_of("lunch"), None);
        assert_eq!(flag_of("Igen"), Some(true));
        assert_eq!(flag_of("Sí"), Some(true));
        assert_eq!(flag_of(""), Some(false));
        assert_eq!(flag_of("Tidak"), Some(false));
        assert_eq!(flag_of("maybe"), None);
    }
}
