"""Sessions: data kept between one visitor's requests, found again by a key in a cookie."""
