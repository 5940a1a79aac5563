//! The model as compact bytes, for the two places it travels whole: from the import worker to
//! the page, and into the browser's storage. A million customers through serde's field-by-field
//! path took seconds to read back (each row a dozen calls, each vector grown step by step); here
//! the columns are written one after another, each read in one tight loop: strings as lengths
//! then bytes, numbers as variable-length integers (LEB128, signed ones zigzagged, so small
//! figures take a byte or two), and each driver row as a mask of its non-zero fields followed by
//! those fields alone (most are zero: a summary customer has a revenue and a few counts).
//!
//! Reading never trusts the bytes: every count is checked against what is left, so damaged bytes
//! give [`Damaged`], never a panic or a huge allocation. The caller checks the model's
//! consistency ([`Model::check`]) as for any model read from outside.

use crate::date::{Date, Month};
use crate::drivers::{
    set_bits, AttributeColumn, DriverRow, Model, Periods, ReferralLink, AGE_BUCKETS, ROW_FIELDS,
};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The bytes are not a model written by [`encode`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Damaged;

impl fmt::Display for Damaged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the model's bytes are damaged")
    }
}

/// The small parts, through serde.
#[derive(Serialize, Deserialize)]
struct Head {
    as_of: Option<Date>,
    window: Option<(Month, Month)>,
    roles: Vec<String>,
    /// Each attribute column's name and values; its codes follow in the columns.
    attributes: Vec<(String, Vec<String>)>,
    customers: u64,
    periods: u64,
    referrals: u64,
}

/// The first fields of [`DriverRow::fields`], in cents (amount x days in cents x days), are
/// signed; the others (hours and counts) are u32.
const I64_FIELDS: usize = 4 + AGE_BUCKETS;

/// An unsigned integer in 7-bit groups, low first, the high bit set on all but the last.
fn put_var(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A signed integer zigzagged (0, -1, 1, -2... as 0, 1, 2, 3...) so small magnitudes are short.
fn put_zig(out: &mut Vec<u8>, v: i64) {
    put_var(out, ((v << 1) ^ (v >> 63)) as u64);
}

/// The model as bytes.
pub fn encode(model: &Model) -> Vec<u8> {
    let head = Head {
        as_of: model.as_of,
        window: model.window,
        roles: model.roles.clone(),
        attributes: model
            .attributes
            .iter()
            .map(|a| (a.name.clone(), a.values.clone()))
            .collect(),
        customers: model.len() as u64,
        periods: model.periods.len() as u64,
        referrals: model.referrals.len() as u64,
    };
    let head = postcard::to_allocvec(&head).unwrap_or_default();
    let mut out = Vec::with_capacity(head.len() + model.len() * 40 + model.periods.len() * 16);
    out.extend_from_slice(&(head.len() as u32).to_le_bytes());
    out.extend_from_slice(&head);
    for strings in [&model.ids, &model.names] {
        for s in strings {
            put_var(&mut out, s.len() as u64);
        }
        for s in strings {
            out.extend_from_slice(s.as_bytes());
        }
    }
    for a in &model.attributes {
        for &code in &a.codes {
            put_var(&mut out, code.into());
        }
    }
    for &v in &model.acquired {
        put_zig(&mut out, v.into());
    }
    for &v in &model.acquisition_cost {
        put_zig(&mut out, v);
    }
    for row in &model.drivers {
        put_row(&mut out, row);
    }
    // Each month cell as a driver row is written (its customer, its month, then the row),
    // straight from the cell's kept mask and fields.
    for (customer, month, mask, fields) in model.periods.stored() {
        put_var(&mut out, customer.into());
        put_zig(&mut out, month.0.into());
        put_var(&mut out, mask.into());
        for (bit, &v) in set_bits(mask).zip(fields) {
            put_field(&mut out, bit, v);
        }
    }
    for r in &model.referrals {
        put_var(&mut out, r.referrer.into());
        put_var(&mut out, r.referred.into());
        out.push(u8::from(r.would_have_come_anyway));
    }
    out
}

/// A driver row: which fields are not zero (one bit each), then those fields.
fn put_row(out: &mut Vec<u8>, row: &DriverRow) {
    let fields = row.fields();
    put_var(out, DriverRow::non_zero(&fields).into());
    for (bit, &v) in fields.iter().enumerate().filter(|(_, v)| **v != 0) {
        put_field(out, bit, v);
    }
}

/// Field `bit` of a driver row (numbered as in [`DriverRow::fields`]).
fn put_field(out: &mut Vec<u8>, bit: usize, v: i64) {
    if bit < I64_FIELDS {
        put_zig(out, v);
    } else {
        // Hours and counts are u32: never negative.
        put_var(out, v as u64);
    }
}

/// Bytes being read, each read checked against what is left.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Damaged> {
        if n > self.bytes.len() {
            return Err(Damaged);
        }
        let (taken, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(taken)
    }
    fn u32_le(&mut self) -> Result<u32, Damaged> {
        let bytes: [u8; 4] = self.take(4)?.try_into().map_err(|_| Damaged)?;
        Ok(u32::from_le_bytes(bytes))
    }
    /// See [`put_var`]; more than 64 bits is damage.
    #[inline]
    fn var(&mut self) -> Result<u64, Damaged> {
        let mut v = 0u64;
        for (k, &byte) in self.bytes.iter().enumerate().take(10) {
            let bits = u64::from(byte & 0x7F);
            if k == 9 && bits > 1 {
                return Err(Damaged);
            }
            v |= bits << (7 * k);
            if byte < 0x80 {
                self.bytes = &self.bytes[k + 1..];
                return Ok(v);
            }
        }
        Err(Damaged)
    }
    fn zig(&mut self) -> Result<i64, Damaged> {
        let v = self.var()?;
        Ok((v >> 1) as i64 ^ -((v & 1) as i64))
    }
    fn u32(&mut self) -> Result<u32, Damaged> {
        u32::try_from(self.var()?).map_err(|_| Damaged)
    }
    fn i32(&mut self) -> Result<i32, Damaged> {
        i32::try_from(self.zig()?).map_err(|_| Damaged)
    }
    /// A count of items of at least `min_bytes` each: never more than the bytes left could hold,
    /// so a damaged count cannot ask for a huge allocation.
    fn count(&self, n: u64, min_bytes: usize) -> Result<usize, Damaged> {
        let n = usize::try_from(n).map_err(|_| Damaged)?;
        if n > self.bytes.len() / min_bytes.max(1) {
            return Err(Damaged);
        }
        Ok(n)
    }
    /// `n` items read by `item`, into a vector allocated once (collecting through a `Result`
    /// would grow it step by step: seconds of copying at a million customers in WebAssembly).
    fn many<T>(
        &mut self,
        n: usize,
        mut item: impl FnMut(&mut Self) -> Result<T, Damaged>,
    ) -> Result<Vec<T>, Damaged> {
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(item(self)?);
        }
        Ok(out)
    }
    fn strings(&mut self, n: usize) -> Result<Vec<String>, Damaged> {
        let lengths = self.many(n, |r| r.var().map(|l| l as usize))?;
        let mut out = Vec::with_capacity(n);
        for len in lengths {
            let text = std::str::from_utf8(self.take(len)?).map_err(|_| Damaged)?;
            out.push(text.to_string());
        }
        Ok(out)
    }
    fn row(&mut self) -> Result<DriverRow, Damaged> {
        let mask = self.mask()?;
        let mut row = DriverRow::default();
        for bit in set_bits(mask) {
            row.set_field(bit, self.field(bit)?);
        }
        Ok(row)
    }
    /// A driver row's mask of non-zero fields.
    fn mask(&mut self) -> Result<u32, Damaged> {
        let mask = self.u32()?;
        if mask >> ROW_FIELDS != 0 {
            return Err(Damaged);
        }
        Ok(mask)
    }
    /// Field `bit` of a driver row (see [`put_field`]).
    fn field(&mut self, bit: usize) -> Result<i64, Damaged> {
        if bit < I64_FIELDS {
            self.zig()
        } else {
            self.u32().map(i64::from)
        }
    }
    /// The fields of the next `cells` month cells between them, counted from their masks: the
    /// room to make before reading them. At most the values there are to read (zeros among
    /// them, left out later, included), and so at most 32 more than the bytes left, however
    /// damaged. Made for two fields a cell and grown by doubling, the room took 56 ms of the
    /// page's hand-over of a 98 MB import (300,000 cells), beside 72 ms for making the cells.
    fn fields_of_cells(&self, cells: usize) -> usize {
        let mut ahead = Reader { bytes: self.bytes };
        let mut fields = 0;
        for _ in 0..cells {
            let (Ok(_customer), Ok(_month), Ok(mask)) = (ahead.var(), ahead.var(), ahead.var())
            else {
                break;
            };
            let values = (mask as u32).count_ones() as usize;
            fields += values;
            for _ in 0..values {
                if ahead.var().is_err() {
                    return fields;
                }
            }
        }
        fields
    }
}

/// Reads bytes written by [`encode`]. The model's bounds are left for [`Model::check`].
pub fn decode(bytes: &[u8]) -> Result<Model, Damaged> {
    let mut decoding = Decoding::new(bytes)?;
    loop {
        if let Some(model) = decoding.next(bytes)? {
            return Ok(model);
        }
    }
}

/// [`decode`] a part at a time, for a page that must keep painting while it reads a large
/// model: each call of [`Decoding::next`] reads one column, or a portion of the driver rows or
/// of the month cells (read in one go, the 100,000-customer model of a million-row import took
/// the page 124 to 161 ms). The bytes are given to every call (the caller keeps them), so that
/// nothing here borrows them. After an error, or once the model is read, it is over: a further
/// call is refused.
pub struct Decoding {
    /// Where the next part starts in the bytes.
    at: usize,
    part: Part,
    /// Customers, and month cells still to read.
    customers: usize,
    cells_left: usize,
    /// The attribute columns whose codes are still to read, as the head gives them.
    attributes: std::vec::IntoIter<(String, Vec<String>)>,
    referrals: u64,
    model: Model,
}

/// What [`Decoding::next`] reads next, in the order [`encode`] writes it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Ids,
    Names,
    Attributes,
    Acquired,
    Costs,
    Drivers,
    CellsCounted,
    Cells,
    Referrals,
    Done,
}

/// Driver rows, or month cells, read by one call of [`Decoding::next`] (a few in the unit
/// tests, so that the sample company's model takes many calls).
const DECODE_PORTION: usize = if cfg!(test) { 100 } else { 1 << 16 };

impl Decoding {
    /// Reads the head of `bytes`.
    pub fn new(bytes: &[u8]) -> Result<Decoding, Damaged> {
        let mut r = Reader { bytes };
        let head_len = r.u32_le()? as usize;
        let head: Head = postcard::from_bytes(r.take(head_len)?).map_err(|_| Damaged)?;
        // Each customer takes at least a byte for each string length, its acquisition month and
        // cost, and its row's mask: 5 bytes.
        let customers = r.count(head.customers, 5)?;
        let cells_left = usize::try_from(head.periods).map_err(|_| Damaged)?;
        Ok(Decoding {
            at: bytes.len() - r.bytes.len(),
            part: Part::Ids,
            customers,
            cells_left,
            attributes: head.attributes.into_iter(),
            referrals: head.referrals,
            model: Model {
                as_of: head.as_of,
                window: head.window,
                roles: head.roles,
                ..Model::default()
            },
        })
    }

    /// Reads the next part of `bytes` (the same bytes as [`Decoding::new`] was given): the
    /// model once the last part is read, `None` before.
    pub fn next(&mut self, bytes: &[u8]) -> Result<Option<Model>, Damaged> {
        let read = self.read_part(bytes);
        if read.is_err() {
            // A part read halfway has left the model half filled: nothing more is read.
            self.part = Part::Done;
        }
        read
    }

    fn read_part(&mut self, bytes: &[u8]) -> Result<Option<Model>, Damaged> {
        let mut r = Reader {
            bytes: bytes.get(self.at..).ok_or(Damaged)?,
        };
        let (n, m) = (self.customers, &mut self.model);
        self.part = match self.part {
            Part::Ids => {
                m.ids = r.strings(n)?;
                Part::Names
            }
            Part::Names => {
                m.names = r.strings(n)?;
                Part::Attributes
            }
            Part::Attributes => match self.attributes.next() {
                Some((name, values)) => {
                    let codes = r.many(n, Reader::u32)?;
                    m.attributes.push(AttributeColumn {
                        name,
                        values,
                        codes,
                    });
                    Part::Attributes
                }
                None => Part::Acquired,
            },
            Part::Acquired => {
                m.acquired = r.many(n, Reader::i32)?;
                Part::Costs
            }
            Part::Costs => {
                m.acquisition_cost = r.many(n, Reader::zig)?;
                // The driver rows' room, made once for the portions that follow.
                m.drivers.reserve_exact(n);
                Part::Drivers
            }
            Part::Drivers => {
                for _ in 0..DECODE_PORTION.min(n - m.drivers.len()) {
                    m.drivers.push(r.row()?);
                }
                if m.drivers.len() < n {
                    Part::Drivers
                } else {
                    Part::CellsCounted
                }
            }
            Part::CellsCounted => {
                let cells = r.count(self.cells_left as u64, 3)?;
                // Each cell straight into the periods' own form, without a driver row between.
                m.periods = Periods::with_capacity(cells, r.fields_of_cells(cells));
                Part::Cells
            }
            Part::Cells => {
                let portion = DECODE_PORTION.min(self.cells_left);
                for _ in 0..portion {
                    let (customer, month, mask) = (r.u32()?, Month(r.i32()?), r.mask()?);
                    m.periods
                        .push_stored(customer, month, mask, |bit| r.field(bit))?;
                }
                self.cells_left -= portion;
                if self.cells_left > 0 {
                    Part::Cells
                } else {
                    Part::Referrals
                }
            }
            Part::Referrals => {
                let referrals = r.count(self.referrals, 3)?;
                m.referrals = r.many(referrals, |r| {
                    Ok(ReferralLink {
                        referrer: r.u32()?,
                        referred: r.u32()?,
                        would_have_come_anyway: match r.take(1)? {
                            [0] => false,
                            [1] => true,
                            _ => return Err(Damaged),
                        },
                    })
                })?;
                if !r.bytes.is_empty() {
                    return Err(Damaged);
                }
                Part::Done
            }
            Part::Done => return Err(Damaged),
        };
        self.at = bytes.len() - r.bytes.len();
        Ok((self.part == Part::Done).then(|| std::mem::take(&mut self.model)))
    }
}

/// For `#[serde(with = "crate::model_bytes")]`: the model as one byte string.
pub fn serialize<S: serde::Serializer>(model: &Model, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_bytes(&encode(model))
}

/// For `#[serde(with = "crate::model_bytes")]`. The model's bounds are recomputed.
pub fn deserialize<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Model, D::Error> {
    struct Bytes;
    impl<'de> serde::de::Visitor<'de> for Bytes {
        type Value = Model;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a model's bytes")
        }
        fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Model, E> {
            let mut model = decode(bytes).map_err(E::custom)?;
            model.check().map_err(E::custom)?;
            Ok(model)
        }
    }
    deserializer.deserialize_bytes(Bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::ActivityKind;

    /// A row with every field set, as the format has written rows since version 2 of the saved
    /// record: the mask of the 22 fields (all set: 0x3F_FFFF, in 7-bit groups FF FF FF 01), the
    /// money fields in order zigzagged (1 to 9 as 2 to 18: revenue, costed revenue, known cost,
    /// amount x days, the five open buckets), then hours by role (10 to 15) and counts by kind
    /// (16 to 22) as they are.
    #[test]
    fn a_row_of_every_field_is_written_in_the_formats_order() {
        let row = DriverRow {
            revenue: 1,
            costed_revenue: 2,
            known_cost: 3,
            amount_days: 4,
            open_by_bucket: [5, 6, 7, 8, 9],
            hours_by_role: [10, 11, 12, 13, 14, 15],
            counts: [16, 17, 18, 19, 20, 21, 22],
        };
        let mut out = Vec::new();
        put_row(&mut out, &row);
        let mut want = vec![0xFF, 0xFF, 0xFF, 0x01];
        want.extend((1..=9).map(|v| 2 * v));
        want.extend(10..=22);
        assert_eq!(out, want);
        assert_eq!(Reader { bytes: &out }.row(), Ok(row));
    }
    use crate::{aggregate, sample};

    #[test]
    fn the_sample_company_reads_back_as_it_was() {
        let model = aggregate(&sample::sample_company()).model;
        let bytes = encode(&model);
        let mut back = decode(&bytes).unwrap();
        back.check().unwrap();
        assert_eq!(back, model);
        // Far smaller than a driver row's 128 bytes per customer and per month.
        assert!(
            bytes.len() < (model.len() + model.periods.len()) * 64,
            "{} bytes",
            bytes.len()
        );
    }

    #[test]
    fn a_model_read_a_part_at_a_time_is_the_model() {
        let model = aggregate(&sample::sample_company()).model;
        let bytes = encode(&model);
        let mut decoding = Decoding::new(&bytes).unwrap();
        let mut calls = 1;
        let mut back = loop {
            match decoding.next(&bytes).unwrap() {
                Some(back) => break back,
                None => calls += 1,
            }
        };
        back.check().unwrap();
        assert_eq!(back, model);
        // Ids, names, each attribute column and the end of them, acquisitions, costs, the
        // driver rows 100 at a time, counting the cells, the cells 100 at a time, referrals.
        let portions = |n: usize| n.div_ceil(DECODE_PORTION);
        let expected = 2
            + model.attributes.len()
            + 1
            + 2
            + portions(model.len())
            + 1
            + portions(model.periods.len())
            + 1;
        assert_eq!(calls, expected);
        // The sample company crosses portions: 250 customers and thousands of cells.
        assert!(portions(model.len()) == 3 && portions(model.periods.len()) > 10);
        // Done is done: a call after the model is refused, not a second model.
        assert_eq!(decoding.next(&bytes), Err(Damaged));
        // Bytes cut short give an error, and after it nothing more is read, even from the
        // whole bytes: the parts read so far are not taken for a model.
        let cut = &bytes[..bytes.len() / 2];
        let mut decoding = Decoding::new(cut).unwrap();
        let error = loop {
            match decoding.next(cut) {
                Ok(None) => {}
                Ok(Some(_)) => panic!("a model from half of its bytes"),
                Err(error) => break error,
            }
        };
        assert_eq!(error, Damaged);
        assert_eq!(decoding.next(&bytes), Err(Damaged));
    }

    /// One customer, C1 "Ann", never acquired at a known cost, with 1,500.00 of revenue and
    /// three tickets: the model and its driver row.
    fn one_customer() -> (Model, DriverRow) {
        let mut model = Model::default();
        model.ids.push("C1".into());
        model.names.push("Ann".into());
        model.acquired.push(crate::drivers::NOT_ACQUIRED);
        model.acquisition_cost.push(crate::drivers::COST_UNKNOWN);
        let mut row = DriverRow {
            revenue: 150_000,
            ..DriverRow::default()
        };
        row.counts[ActivityKind::Ticket.index()] = 3;
        model.drivers.push(row);
        (model, row)
    }

    #[test]
    fn a_row_is_its_mask_and_its_non_zero_fields() {
        let (model, _) = one_customer();
        let bytes = encode(&model);
        // After the head: the ids' lengths then text ("C1"), the names' ("Ann"), no acquisition month (i32::MIN,
        // zigzagged 2^32 - 1: five bytes), no cost (i64::MIN, zigzagged 2^64 - 1: ten bytes),
        // then the mask (revenue is bit 0, tickets bit 9 + 6 roles + 1 = 16: 65,537, three
        // bytes), 150,000 zigzagged (300,000: three bytes) and 3 (one byte).
        let head = u32::from_le_bytes(bytes[..4].try_into().unwrap()) as usize;
        let rest = &bytes[4 + head..];
        assert_eq!(&rest[..7], &[2, b'C', b'1', 3, b'A', b'n', b'n']);
        assert_eq!(&rest[7..12], &[0xFF, 0xFF, 0xFF, 0xFF, 0x0F]);
        assert_eq!(&rest[12..21], &[0xFF; 9]);
        assert_eq!(rest[21], 0x01);
        assert_eq!(&rest[22..25], &[0x81, 0x80, 0x04]);
        assert_eq!(&rest[25..], &[0xE0, 0xA7, 0x12, 3]);
        assert_eq!(decode(&bytes).unwrap(), model);
    }

    /// One customer's month cell: its customer (0), its month (5, zigzagged 10), then its row
    /// as a driver row is written (mask 65,537 in three bytes, 150,000 zigzagged, 3 tickets).
    #[test]
    fn a_month_cell_is_its_customer_its_month_and_its_row() {
        let (mut model, row) = one_customer();
        model.periods.push(0, Month(5), &row);
        let bytes = encode(&model);
        let cell = [0, 10, 0x81, 0x80, 0x04, 0xE0, 0xA7, 0x12, 3];
        assert!(bytes.ends_with(&cell), "{bytes:?}");
        let reader = Reader {
            bytes: &bytes[bytes.len() - cell.len()..],
        };
        assert_eq!(reader.fields_of_cells(1), 2);
        assert_eq!(decode(&bytes).unwrap(), model);

        // A cell whose mask names a field of zero (costed revenue, bit 1: mask 65,539) reads
        // as the cell without it, as a month cell never keeps a zero.
        let mut named_zero = bytes[..bytes.len() - cell.len()].to_vec();
        named_zero.extend([0, 10, 0x83, 0x80, 0x04, 0xE0, 0xA7, 0x12, 0, 3]);
        assert_eq!(decode(&named_zero).unwrap(), model);
    }

    /// Every month cell of the sample company is written as it was when each cell was made
    /// into a driver row and written as one.
    #[test]
    fn month_cells_are_written_as_driver_rows_were() {
        let model = aggregate(&sample::sample_company()).model;
        assert!(model.periods.len() > 1_000);
        let mut cells = Vec::new();
        for p in model.periods.iter() {
            put_var(&mut cells, p.customer.into());
            put_zig(&mut cells, p.month.0.into());
            put_row(&mut cells, &p.row);
        }
        // Then the referrals, the last of the bytes.
        for r in &model.referrals {
            put_var(&mut cells, r.referrer.into());
            put_var(&mut cells, r.referred.into());
            cells.push(u8::from(r.would_have_come_anyway));
        }
        assert!(encode(&model).ends_with(&cells));
    }

    #[test]
    fn a_month_cell_cut_short_adds_nothing() {
        let mut periods = Periods::default();
        let values = [Ok(7), Err(Damaged)];
        let mut next = values.into_iter();
        let cut = periods.push_stored(0, Month(5), 0b11, |_| next.next().unwrap());
        assert_eq!(cut, Err(Damaged));
        assert_eq!(periods, Periods::default());
    }

    #[test]
    fn damaged_bytes_are_refused_never_panic() {
        let model = aggregate(&sample::sample_company()).model;
        let bytes = encode(&model);
        // Cut anywhere, or with a byte changed, or with more after the end.
        for cut in (0..bytes.len()).step_by(bytes.len() / 97 + 1) {
            assert_eq!(decode(&bytes[..cut]), Err(Damaged));
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode(&longer), Err(Damaged));
        for at in (0..bytes.len()).step_by(bytes.len() / 89 + 1) {
            let mut changed = bytes.clone();
            changed[at] ^= 0xA5;
            // It may still read (a changed amount is a valid amount); it must not panic.
            let _ = decode(&changed).map(|mut m| m.check());
        }
        // A count of a billion customers in a few bytes is refused before any allocation.
        let head = postcard::to_allocvec(&Head {
            as_of: None,
            window: None,
            roles: Vec::new(),
            attributes: Vec::new(),
            customers: 1 << 30,
            periods: 0,
            referrals: 0,
        })
        .unwrap();
        let mut huge = (head.len() as u32).to_le_bytes().to_vec();
        huge.extend_from_slice(&head);
        huge.extend_from_slice(&[0; 640]);
        assert_eq!(decode(&huge), Err(Damaged));
    }
}
