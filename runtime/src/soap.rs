//! SOAP 1.1/1.2 runtime: envelopes, XML (de)serialization traits, faults.
//! (Being written; see issue 3.)
