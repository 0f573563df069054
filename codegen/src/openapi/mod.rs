//! OpenAPI pipeline. (Being written; see issue 2.)

use crate::{ApiSpec, Error, FileSource, Location, Output};

pub fn generate(_files: &dyn FileSource, api: &ApiSpec) -> Result<Output, Error> {
    Err(Error::Invalid {
        location: Location::file(api.files.first().map_or("", |f| f.path.as_str())),
        message: "the openapi pipeline is not written yet".to_string(),
    })
}
