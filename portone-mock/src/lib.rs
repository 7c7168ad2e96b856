//! An in-process PortOne V1 server.
