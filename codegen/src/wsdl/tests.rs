//! Fixture tests of the WSDL front end and generator.
