FROM --platform=é😀 ubuntu
MAINTAINER Jöhn Doe
WORKDIR app
RUN echo "😀 done"
