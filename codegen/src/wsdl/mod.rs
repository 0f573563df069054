//! WSDL 1.1 + XSD pipeline. (Being written; see issue 3.)

use crate::{ApiSpec, Error, FileSource, Location, Output};

/// Generates the SOAP client module for `api`.
pub fn generate(_files: &dyn FileSource, api: &ApiSpec) -> Result<Output, Error> {
    Err(Error::Invalid {
        location: Location::file(api.files.first().map_or("", |f| f.path.as_str())),
        message: "the wsdl pipeline is not written yet".to_string(),
    })
}
