//! Unit tests of the Swagger 2.0 converter and the bundler of split documents.
